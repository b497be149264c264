import { Link } from 'react-router';
import { PageTitle } from '../components/ui';

export function NotFound() {
  return (
    <>
      <PageTitle>Page not found</PageTitle>
      <p>
        There is nothing at this address, or your role may not open it.{' '}
        <Link to="/">Go to the start page</Link>.
      </p>
    </>
  );
}

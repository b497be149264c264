import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { Layout } from './components/Layout';
import { ErrorMessage, Loading } from './components/ui';
import { isStaff } from './format';
import { SessionProvider, useMe } from './session';
import { MyTickets } from './views/MyTickets';
import { NewTicket } from './views/NewTicket';
import { NotFound } from './views/NotFound';
import { Notifications } from './views/Notifications';
import { Queue } from './views/Queue';
import { Setup } from './views/Setup';
import { SignIn } from './views/SignIn';
import { SignUp } from './views/SignUp';
import { Stats } from './views/Stats';
import { TicketHistory } from './views/TicketHistory';
import { TicketView } from './views/TicketView';
import { Users } from './views/Users';
import { Workspaces } from './views/Workspaces';

// Admins' workspace settings load on first visit: most people never open them, so they stay out of the
// initial JavaScript (a budget: docs/DECISIONS.md#web-console).
const ServiceLevelsAdmin = lazy(() =>
  import('./views/ServiceLevelsAdmin').then((module) => ({ default: module.ServiceLevelsAdmin })),
);
const Webhooks = lazy(() => import('./views/Webhooks').then((module) => ({ default: module.Webhooks })));

/** Every view has its own URL; which ones exist depends on who is signed in. */
export function App() {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <Loading what="the console" />;
  if (me.error) {
    return (
      <main className="signed-out">
        <ErrorMessage error={me.error} />
      </main>
    );
  }
  const user = me.data;
  if (!user) {
    const next = `${location.pathname}${location.search}`;
    return (
      <Routes>
        <Route path="/sign-in" element={<SignIn />} />
        <Route path="/sign-up" element={<SignUp />} />
        <Route path="/setup" element={<Setup />} />
        <Route
          path="*"
          element={
            <Navigate to={next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`} replace />
          }
        />
      </Routes>
    );
  }
  const staff = isStaff(user.role);
  return (
    <SessionProvider user={user}>
      <Layout>
        <Suspense fallback={<Loading what="the page" />}>
          <Routes>
            <Route path="/" element={<Navigate to={staff ? '/queue' : '/tickets'} replace />} />
            <Route path="/sign-in" element={<Navigate to="/" replace />} />
            <Route path="/sign-up" element={<Navigate to="/" replace />} />
            <Route path="/setup" element={<Navigate to="/" replace />} />
            <Route path="/tickets" element={<MyTickets />} />
            <Route path="/tickets/new" element={<NewTicket />} />
            <Route path="/tickets/:id" element={<TicketView />} />
            <Route path="/tickets/:id/history" element={<TicketHistory />} />
            <Route path="/notifications" element={<Notifications />} />
            {staff ? <Route path="/queue" element={<Queue />} /> : null}
            {staff ? <Route path="/stats" element={<Stats />} /> : null}
            {user.role === 'admin' || user.role === 'superadmin' ? (
              <Route path="/admin/users" element={<Users />} />
            ) : null}
            {/* Workspace settings: a superadmin belongs to no workspace, so these are the admins'. */}
            {user.role === 'admin' ? (
              <Route path="/admin/service-levels" element={<ServiceLevelsAdmin />} />
            ) : null}
            {user.role === 'admin' ? <Route path="/admin/webhooks" element={<Webhooks />} /> : null}
            {user.role === 'superadmin' ? <Route path="/admin/workspaces" element={<Workspaces />} /> : null}
            <Route path="*" element={<NotFound />} />
          </Routes>
        </Suspense>
      </Layout>
    </SessionProvider>
  );
}

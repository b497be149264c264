import { TicketsProvider } from '@tickets/client/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './App';
import { client, queryClient } from './api';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <TicketsProvider client={client} queryClient={queryClient}>
      <BrowserRouter>
        <App />
      </BrowserRouter>
    </TicketsProvider>
  </StrictMode>,
);

import { t } from '../init';
import { assignTicket } from '../procedures/tickets/assign';
import { closeTicket } from '../procedures/tickets/close';
import { createTicket } from '../procedures/tickets/create';
import { escalateTicket } from '../procedures/tickets/escalate';
import { getTicket } from '../procedures/tickets/get';
import { listTickets } from '../procedures/tickets/list';
import { reopenTicket } from '../procedures/tickets/reopen';
import { updateTicket } from '../procedures/tickets/update';

export const ticketsRouter = t.router({
  list: listTickets,
  get: getTicket,
  create: createTicket,
  update: updateTicket,
  assign: assignTicket,
  escalate: escalateTicket,
  close: closeTicket,
  reopen: reopenTicket,
});

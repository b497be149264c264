import { t } from '../init';
import { assignTicketProcedure } from '../procedures/tickets/assign';
import { closeTicketProcedure } from '../procedures/tickets/close';
import { createTicketProcedure } from '../procedures/tickets/create';
import { escalateTicketProcedure } from '../procedures/tickets/escalate';
import { getTicketProcedure } from '../procedures/tickets/get';
import { listTicketsProcedure } from '../procedures/tickets/list';
import { reopenTicketProcedure } from '../procedures/tickets/reopen';
import { updateTicketProcedure } from '../procedures/tickets/update';

export const ticketsRouter = t.router({
  list: listTicketsProcedure,
  get: getTicketProcedure,
  create: createTicketProcedure,
  update: updateTicketProcedure,
  assign: assignTicketProcedure,
  escalate: escalateTicketProcedure,
  close: closeTicketProcedure,
  reopen: reopenTicketProcedure,
});

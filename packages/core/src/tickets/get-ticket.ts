import type { Actor } from '../policy/actor';
import type { Executor } from '../shared/transaction';
import { findVisibleTicket } from './find-visible-ticket';
import type { GetTicketInput, Ticket } from './schemas';
import { toTicket } from './ticket-dto';

export async function getTicket(executor: Executor, actor: Actor, input: GetTicketInput): Promise<Ticket> {
  return toTicket(await findVisibleTicket(executor, actor, input.id));
}

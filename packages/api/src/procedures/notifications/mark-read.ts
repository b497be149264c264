import { markNotificationsRead, markNotificationsReadInput, updatedCountSchema } from '@tickets/core';
import { procedureFor } from '../base';

// Ids that are not the caller's are ignored rather than refused: the call stays idempotent and says
// nothing about whether someone else's id exists.
export const markReadProcedure = procedureFor('notification:own')
  .meta({ summary: "Marks the given notifications of the caller read (others' ids are ignored)." })
  .input(markNotificationsReadInput)
  .output(updatedCountSchema)
  .mutation(({ ctx, input }) => markNotificationsRead(ctx.services.db, ctx.actor, input));

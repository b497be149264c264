import { t } from '../init';
import { generateStatsProcedure } from '../procedures/stats/generate';

export const statsRouter = t.router({
  generate: generateStatsProcedure,
});

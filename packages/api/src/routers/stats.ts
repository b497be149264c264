import { t } from '../init';
import { generateStats } from '../procedures/stats/generate';

export const statsRouter = t.router({
  generate: generateStats,
});

import { t } from '../init';
import { createWorkspace } from '../procedures/workspaces/create';
import { listWorkspaces } from '../procedures/workspaces/list';

export const workspacesRouter = t.router({ create: createWorkspace, list: listWorkspaces });

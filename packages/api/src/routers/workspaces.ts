import { t } from '../init';
import { createWorkspaceProcedure } from '../procedures/workspaces/create';
import { listWorkspacesProcedure } from '../procedures/workspaces/list';

export const workspacesRouter = t.router({ create: createWorkspaceProcedure, list: listWorkspacesProcedure });

// Every migration, in order. Listed explicitly (not globbed) so the same list works from
// the TypeScript sources under Jest, from dist/ at run time, and in the packaged CLI.
import { InitialSchema1764000000000 } from './1764000000000-InitialSchema';
import { TahrirImport1764200000000 } from './1764200000000-TahrirImport';

export const migrations = [InitialSchema1764000000000, TahrirImport1764200000000];

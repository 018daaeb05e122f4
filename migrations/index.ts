// Every migration, in order. Listed explicitly (not globbed) so the same list works from
// the TypeScript sources under Jest, from dist/ at run time, and in the packaged CLI.
import { InitialSchema1764000000000 } from './1764000000000-InitialSchema';
import { RulesHistory1764100000000 } from './1764100000000-RulesHistory';
import { TahrirImport1764200000000 } from './1764200000000-TahrirImport';
import { Outbox1764300000000 } from './1764300000000-Outbox';
import { Auth1764400000000 } from './1764400000000-Auth';
import { OpenBadges1764500000000 } from './1764500000000-OpenBadges';
import { PagesSupport1764600000000 } from './1764600000000-PagesSupport';
import { SiteChanges1764600000001 } from './1764600000001-SiteChanges';
import { SelectionCounters1764750000000 } from './1764750000000-SelectionCounters';
import { TahrirImportXids1764800000000 } from './1764800000000-TahrirImportXids';
import { TalliesEmptiedByKey1764900000000 } from './1764900000000-TalliesEmptiedByKey';
import { TalliesStoredByPerson1764950000000 } from './1764950000000-TalliesStoredByPerson';
import { OptOutFlipsFirst1765000000000 } from './1765000000000-OptOutFlipsFirst';

export const migrations = [
  InitialSchema1764000000000,
  RulesHistory1764100000000,
  TahrirImport1764200000000,
  Outbox1764300000000,
  Auth1764400000000,
  OpenBadges1764500000000,
  PagesSupport1764600000000,
  SiteChanges1764600000001,
  SelectionCounters1764750000000,
  TahrirImportXids1764800000000,
  TalliesEmptiedByKey1764900000000,
  TalliesStoredByPerson1764950000000,
  OptOutFlipsFirst1765000000000,
];

import { Assertion } from '../modules/awards/assertion.entity';
import { Authorization } from '../modules/awards/authorization.entity';
import { CurrentValue } from '../modules/awards/current-value.entity';
import { Invitation } from '../modules/awards/invitation.entity';
import { RevokedAssertion } from '../modules/awards/revoked-assertion.entity';
import { Badge } from '../modules/badges/badge.entity';
import { Issuer } from '../modules/badges/issuer.entity';
import { Milestone } from '../modules/badges/milestone.entity';
import { Series } from '../modules/badges/series.entity';
import { Team } from '../modules/badges/team.entity';
import { CredentialStatus, StatusList } from '../modules/openbadges/credential-status.entity';
import { SigningKey } from '../modules/openbadges/signing-key.entity';
import { Person } from '../modules/users/person.entity';
import {
  TahrirImportBucket,
  TahrirImportRow,
  TahrirImportRun,
  TahrirImportTable,
} from '../modules/tahrir-import/import-state.entity';

/** Every TypeORM entity of the service (the schema itself comes from migrations/). */
export const entities = [
  Issuer,
  Badge,
  Team,
  Series,
  Milestone,
  Person,
  Assertion,
  RevokedAssertion,
  Authorization,
  Invitation,
  CurrentValue,
  SigningKey,
  StatusList,
  CredentialStatus,
  TahrirImportRow,
  TahrirImportBucket,
  TahrirImportTable,
  TahrirImportRun,
];

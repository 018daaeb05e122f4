import type { Badge } from '../../badges/badge.entity';
import { normalizeTags } from '../../badges/tags';
import { textField } from '../account/form-values';

/** The badge form as typed (re-shown as typed when it has errors). */
export interface BadgeForm {
  id: string;
  name: string;
  description: string;
  criteria: string;
  issuerId: string;
  tags: string;
  image: string;
}

export function badgeForm(body: Record<string, unknown> | undefined): BadgeForm {
  const f = (k: string, max = 5000) => textField(body?.[k], max).trim();
  return {
    id: f('id', 300),
    name: f('name', 300),
    description: f('description'),
    criteria: f('criteria', 2100),
    issuerId: f('issuer_id', 20),
    tags: f('tags', 5000),
    image: f('image', 2100),
  };
}

export function badgeFormOf(b: Badge): BadgeForm {
  return {
    id: b.id,
    name: b.name,
    description: b.description,
    criteria: b.criteria,
    issuerId: String(b.issuerId),
    tags: b.tags.join(', '),
    image: b.image,
  };
}

/**
 * The plain object the API's badge DTO checks. Uploaded art stands in for the image name
 * (the service replaces it with the stored file's name).
 */
export function badgeDtoInput(form: BadgeForm, hasArt: boolean, withId: boolean) {
  return {
    ...(withId && form.id ? { id: form.id } : {}),
    name: form.name,
    description: form.description,
    criteria: form.criteria,
    issuer_id: form.issuerId,
    tags: normalizeTags(form.tags),
    image: hasArt ? 'uploaded' : form.image,
  };
}

import { conflict, notFound } from '../../common/errors/domain-error';

export const badgeNotFound = (id: string) =>
  notFound('BADGE.NOT_FOUND', `No badge with the id "${id}".`);
export const badgeExists = (what: 'id' | 'name', value: string) =>
  conflict('BADGE.ALREADY_EXISTS', `A badge with the ${what} "${value}" already exists.`);
export const issuerNotFound = (id: number | string) =>
  notFound('ISSUER.NOT_FOUND', `No issuer with the id "${id}".`);
export const issuerExists = (name: string) =>
  conflict('ISSUER.ALREADY_EXISTS', `An issuer named "${name}" already exists.`);
export const issuerInUse = (id: number) =>
  conflict('ISSUER.IN_USE', `Issuer ${id} still issues badges; move or delete them first.`);
export const seriesNotFound = (id: string) =>
  notFound('SERIES.NOT_FOUND', `No series with the id "${id}".`);
export const seriesExists = (value: string) =>
  conflict('SERIES.ALREADY_EXISTS', `A series with the id or name "${value}" already exists.`);
export const milestoneExists = (seriesId: string, badgeId: string) =>
  conflict('MILESTONE.ALREADY_EXISTS', `Badge "${badgeId}" is already in series "${seriesId}".`);
export const milestoneNotFound = (seriesId: string, badgeId: string) =>
  notFound('MILESTONE.NOT_FOUND', `Badge "${badgeId}" is not in series "${seriesId}".`);
export const teamNotFound = (id: string) =>
  notFound('TEAM.NOT_FOUND', `No team with the id "${id}".`);

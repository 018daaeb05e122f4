import { conflict, notFound } from '../../common/errors/domain-error';

export const userNotFound = (nickname: string) =>
  notFound('USER.NOT_FOUND', `No user with the nickname "${nickname}".`);
export const userExists = (what: string) =>
  conflict('USER.ALREADY_EXISTS', `A user with this ${what} already exists.`);

/**
 * Forge Confluence product events, in the payload shape documented on developer.atlassian.com
 * ("Confluence events", platform/forge/events-reference/confluence): `eventType`, `atlassianId`,
 * `eventCreatedDate`, `suppressNotifications`, `updateTrigger` (update events only) and `content` with
 * `id`, `type`, `status`, `title`, `space { id: number, key, alias, name, icon, type, status }`,
 * `history { latest, createdBy, ownedBy, createdDate }` and `version { by, when, number }`.
 * As the docs say, the personal fields of a `User` (username, email, publicName, displayName) carry the account id.
 */
import { APP_USER } from '../users';

export type ConfluencePageEventType =
  | 'avi:confluence:created:page'
  | 'avi:confluence:updated:page'
  | 'avi:confluence:trashed:page'
  | 'avi:confluence:restored:page'
  | 'avi:confluence:deleted:page';

export interface EventImage {
  path: string;
  width: number;
  height: number;
  isDefault: boolean;
}

export interface EventUser {
  type: 'known';
  username: string;
  accountId: string;
  accountType: 'atlassian' | 'app';
  email: string;
  publicName: string;
  profilePicture: EventImage;
  displayName: string;
  isExternalCollaborator: boolean;
}

export interface EventContent {
  id: string;
  type: 'page';
  status: string;
  title: string;
  space: { id: number; key: string; alias: string; name: string; icon: EventImage; type: 'global' | 'personal'; status: 'current' | 'archived' };
  history: { latest: true; createdBy: EventUser; ownedBy: EventUser; createdDate: string };
  version: { by: EventUser; when: string; number: number };
}

export interface ConfluencePagePayload {
  eventType: ConfluencePageEventType;
  atlassianId: string;
  eventCreatedDate: string;
  suppressNotifications: boolean;
  /** Only on `avi:confluence:updated:page`. The docs name the field but list no values; `edit_page` is what an editor save reports. */
  updateTrigger?: string;
  content: EventContent;
}

export const SPACE_ICON: EventImage = { path: '/images/logo/default-space-logo-256.png', width: 48, height: 48, isDefault: false };

export function eventUser(accountId: string): EventUser {
  return {
    type: 'known',
    username: accountId,
    accountId,
    accountType: accountId === APP_USER.accountId ? 'app' : 'atlassian',
    email: accountId,
    publicName: accountId,
    profilePicture: { path: `/wiki/aa-avatar/${accountId}`, width: 48, height: 48, isDefault: false },
    displayName: accountId,
    isExternalCollaborator: false,
  };
}

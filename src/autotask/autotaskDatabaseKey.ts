// The name of one Autotask database, shared by the upload lock (one upload per database at a
// time) and the sandbox that announces itself to the CLI.

/**
 * Names the Autotask database an upload writes to: the zone (or base) URL and the API username
 * for a live tenant, the sandbox's URL for a sandbox. Two workers configured for the same
 * tenant compute the same key.
 */
export function autotaskDatabaseKey(target: { zoneUrl: string; username: string }): string {
  return `autotask:${new URL(target.zoneUrl).origin.toLowerCase()}|${target.username.toLowerCase()}`;
}

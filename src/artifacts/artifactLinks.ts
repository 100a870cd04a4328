// What publishing needs to make a link: the signer, the address people reach the bot at, and how
// long a link lives. Built once at start from the configuration.
import type { Config } from '../config.js';
import type { Db } from '../db/prismaClient.js';
import { artifactSigningKey, createArtifactSigner, type ArtifactSigner } from './artifactSigner.js';

export interface ArtifactLinks {
  signer: ArtifactSigner;
  /** scheme://host[:port] the URLs start with, no trailing slash */
  publicBase: string;
  /** a link's life when the publisher names none */
  ttlMinutes: number;
}

/**
 * PUBLIC_URL when set (the chat platforms fetch images from there); else the bot's own address,
 * which only this machine reaches — enough for the terminal and the local playground.
 */
export function artifactPublicBase(
  config: Pick<Config, 'publicUrl' | 'host' | 'port'>,
  listeningUrl?: string,
): string {
  if (config.publicUrl) return config.publicUrl;
  if (listeningUrl) return listeningUrl.replace(/\/+$/, '');
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
}

export async function artifactLinks(
  db: Db,
  config: Pick<Config, 'publicUrl' | 'host' | 'port' | 'artifacts'>,
  listeningUrl?: string,
): Promise<ArtifactLinks> {
  return {
    signer: createArtifactSigner(await artifactSigningKey(db, config.artifacts.signingKey)),
    publicBase: artifactPublicBase(config, listeningUrl),
    ttlMinutes: config.artifacts.ttlHours * 60,
  };
}

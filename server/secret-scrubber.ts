import { SETTINGS } from './config.js';
import { rawValue, type Env } from './setting.js';
import { credentialsOf, receiverSecretsOf } from './url-credentials.js';

/** Replaces every secret of the environment in a line of output. */
export type Scrub = (line: string) => string;

/** Secret values of the AWS SDK's own settings, which the service never reads but the SDK does. */
const AWS_SECRETS = ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'];
/** Shorter values are left alone: replacing every "ab" in every line would garble the logs. */
const MIN_SCRUBBED_LENGTH = 4;
const CENSOR = '[redacted]';

/**
 * The last line of defence for secrets: log fields are redacted by path and URLs are shown
 * without credentials, but an error from a driver may still quote a value somewhere deep. Every
 * line the process writes goes through this, which replaces each secret value of the
 * environment (API tokens, the Redis URL's password, AWS keys, the webhook secret and receivers'
 * credentials and paths), raw and as JSON escapes it.
 */
export function secretScrubber(env: Env): Scrub {
  const values = [
    ...(rawValue(env, SETTINGS.apiTokens.name) ?? '').split(',').map((token) => token.trim()),
    ...[SETTINGS.redisUrl, SETTINGS.dynamoEndpoint].flatMap((setting) => credentialsOf(rawValue(env, setting.name) ?? '')),
    ...(rawValue(env, SETTINGS.webhookUrls.name) ?? '').split(',').flatMap((url) => receiverSecretsOf(url.trim())),
    // The key alone too: a line may quote it without its `whsec_` prefix.
    ...webhookSecretForms(rawValue(env, SETTINGS.webhookSecret.name)),
    ...AWS_SECRETS.map((name) => rawValue(env, name) ?? ''),
  ].filter((value) => value.length >= MIN_SCRUBBED_LENGTH);
  const forms = [...new Set(values.flatMap((value) => [value, JSON.stringify(value).slice(1, -1)]))]
    // Longest first, so a secret that contains another is replaced whole.
    .sort((a, b) => b.length - a.length);
  if (forms.length === 0) return (line) => line;
  return (line) => {
    let scrubbed = line;
    for (const form of forms) if (scrubbed.includes(form)) scrubbed = scrubbed.replaceAll(form, CENSOR);
    return scrubbed;
  };
}

function webhookSecretForms(secret: string | undefined): string[] {
  if (secret === undefined) return [];
  return secret.startsWith('whsec_') ? [secret, secret.slice('whsec_'.length)] : [secret];
}

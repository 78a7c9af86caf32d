import { InvalidArgumentError } from 'commander';

/** `--broker` takes mqtt://host:port (or mqtts://); anything else is refused with the reason. */
export function parseBrokerUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`"${value}" is not a URL; use mqtt://host:port`);
  }
  if (url.protocol !== 'mqtt:' && url.protocol !== 'mqtts:') {
    throw new InvalidArgumentError(`"${value}" must start with mqtt:// or mqtts://`);
  }
  return value;
}

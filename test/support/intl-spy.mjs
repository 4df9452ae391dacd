/**
 * A preload for a child callhook (`--import`): prints `intl used: <service>` to stderr the first
 * time any Intl service is constructed, so a test can tell that start-up maps none of ICU's data.
 */
import process from 'node:process';

for (const name of [
  'Collator',
  'DateTimeFormat',
  'DisplayNames',
  'ListFormat',
  'NumberFormat',
  'PluralRules',
  'RelativeTimeFormat',
  'Segmenter',
]) {
  const Service = Intl[name];
  let reported = false;
  Intl[name] = new Proxy(Service, {
    construct(target, args, newTarget) {
      if (!reported) {
        reported = true;
        process.stderr.write(`intl used: ${name}\n`);
      }
      return Reflect.construct(target, args, newTarget);
    },
  });
}

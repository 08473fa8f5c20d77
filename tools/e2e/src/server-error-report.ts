import type { TongbanSystem } from '@tongban/service-testing';
import { type ErrorSeen, SERVICES } from './tongban-client';

const MAX_REPORTS = 20;
const MAX_LINES = 30;

/**
 * Prints, for a 5xx a suite received, the log lines every service wrote in that call's trace:
 * the answer itself is a generic "Internal server error", the cause is only in the log. The
 * lines are read a moment later, once the service has written them; the first reports are
 * enough to say why, so later ones are counted, not printed.
 */
export function serverErrorReporter(
  system: TongbanSystem,
  say: (line: string) => void,
): (error: ErrorSeen) => void {
  let reported = 0;
  return (error) => {
    reported++;
    if (reported > MAX_REPORTS) {
      if (reported === MAX_REPORTS + 1)
        say(`more 5xx answers follow; only the first ${MAX_REPORTS} are shown`);
      return;
    }
    setTimeout(() => {
      const lines = SERVICES.flatMap((name) =>
        system.services[name]
          .output()
          .split('\n')
          .filter((line) => line.includes(error.traceId))
          .map((line) => `  ${name}: ${line.slice(0, 2000)}`),
      );
      say(
        `${error.status} from ${error.service} ${error.method} ${error.path} (trace ${error.traceId}): ` +
          `${error.text.slice(0, 300)}\n${lines.slice(-MAX_LINES).join('\n') || '  (no log line carries this trace)'}`,
      );
    }, 200).unref();
  };
}

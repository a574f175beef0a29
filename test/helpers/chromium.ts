import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';

/** The headless browser: $CHROMIUM, else Debian's `chromium` on PATH (installed by .ci/run). */
const BROWSER = process.env['CHROMIUM'] ?? 'chromium';

export interface BrowserRender {
  /** The DOM after loading, serialised. */
  dom: string;
  /** Every console message the page produced (errors, CSP violations, failed loads), as Chromium logs them. */
  consoleMessages: string[];
}

/**
 * Opens a local HTML file in headless Chromium and returns the DOM and the
 * page's console. Chromium logs console output (incl. errors and blocked
 * loads) to stderr as `…:CONSOLE:N] "message", source: …` with --enable-logging.
 */
export function renderInChromium(file: string): Promise<BrowserRender> {
  return new Promise((resolve, reject) => {
    execFile(
      BROWSER,
      ['--headless', '--disable-gpu', '--no-sandbox', '--no-first-run', '--enable-logging=stderr', '--v=0', '--dump-dom', pathToFileURL(file).href],
      { timeout: 60_000, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
          reject(new Error(`${BROWSER} not found: install Debian's chromium (apt-get install -y chromium; .ci/run does) or set $CHROMIUM`));
          return;
        }
        if (error) {
          reject(new Error(`${BROWSER} failed: ${error.message}\n${stderr}`));
          return;
        }
        resolve({ dom: stdout, consoleMessages: stderr.split('\n').filter((line) => /:CONSOLE[:(]/.test(line)) });
      },
    );
  });
}

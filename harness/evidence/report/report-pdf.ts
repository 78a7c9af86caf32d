import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { TrialsimError } from '../../../simulator/errors.js';

/** Debian's `chromium` package (`apt-get install -y chromium`; .ci/run installs it). */
export const CHROMIUM = process.env.TRIALSIM_CHROMIUM ?? '/usr/bin/chromium';

/** Headless, and nothing that reaches the network or a profile: the report is self-contained. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const FOOTER = `<div style="width:100%;font:8pt system-ui,sans-serif;color:#6b7280;padding:0 12mm;display:flex;justify-content:space-between">
<span class="title"></span><span>page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`;

/**
 * Prints the report to PDF through headless Chromium: A4, the page's own print stylesheet, a
 * footer with the report's title and "page N of M". Returns the number of pages written.
 */
export async function writeReportPdf(html: string, file: string): Promise<number> {
  if (!existsSync(CHROMIUM)) {
    throw new TrialsimError(
      'PDF_UNAVAILABLE',
      `--pdf needs Chromium at ${CHROMIUM} (apt-get install -y chromium, or set TRIALSIM_CHROMIUM)`,
    );
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    // The report has no external asset; refuse any request so printing never waits on a network.
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load' });
    const pdf = await page.pdf({
      format: 'A4',
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: FOOTER,
      margin: { top: '14mm', bottom: '16mm', left: '12mm', right: '12mm' },
    });
    await writeFile(file, pdf);
    return pdfPageCount(pdf);
  } finally {
    await browser.close();
  }
}

/** Pages of a PDF as Chromium writes it: one `/Type /Page` object per page. */
export function pdfPageCount(pdf: Uint8Array): number {
  return (
    Buffer.from(pdf)
      .toString('latin1')
      .match(/\/Type\s*\/Page(?![s\w])/g) ?? []
  ).length;
}

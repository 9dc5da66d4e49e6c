import { launchChromium } from './chromium';

describe('launching chromium for the browser tests', () => {
  const saved = process.env.CHROMIUM_PATH;
  afterEach(() => {
    if (saved === undefined) delete process.env.CHROMIUM_PATH;
    else process.env.CHROMIUM_PATH = saved;
  });

  test('a missing chromium fails with how to install it (the suite never skips)', async () => {
    process.env.CHROMIUM_PATH = '/nonexistent/chromium';
    await expect(launchChromium()).rejects.toThrow("install Debian's chromium: apt-get install -y chromium (or set CHROMIUM_PATH)");
  });

  test('the installed one starts headless and renders a page', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.setContent('<p data-testid="probe">rendered</p>');
      expect(await page.getByTestId('probe').textContent()).toBe('rendered');
    } finally {
      await browser.close();
    }
  });
});

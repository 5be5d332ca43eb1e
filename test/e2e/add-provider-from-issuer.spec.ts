/**
 * User story: a person runs the practice Sandbox (`patchbay sandbox`), adds it as their own
 * provider by typing only its issuer URL, checks the filled-in form (changing what the look-up's
 * note tells them to), saves, sets up the client ID and connects: "Connected as …". A wrong
 * issuer is explained in plain words inside the dialog.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { expect, providerRegion, test } from './fixtures';
import { REPO_ROOT } from './web-host-process';

/** `patchbay sandbox --json` from the built CLI, resolved with its issuer once it is ready. */
async function runSandbox(env: Record<string, string>): Promise<{ issuer: string; stop: () => void }> {
  const node = path.join(REPO_ROOT, 'node_modules', '.bin', 'node');
  const child: ChildProcess = spawn(
    existsSync(node) ? node : process.execPath,
    [path.join(REPO_ROOT, 'dist', 'node', 'patchbay.js'), 'sandbox', '--json'],
    { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const issuer = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`patchbay sandbox exited (${code}): ${out}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const line = out.split('\n').find((l) => l.includes('"ready"'));
      if (line) resolve(String((JSON.parse(line) as { issuer: string }).issuer));
    });
  });
  return { issuer, stop: () => void child.kill('SIGTERM') };
}

test('add a provider from its issuer URL, then connect it', async ({ app }) => {
  const { page } = app;
  const sandbox = await runSandbox({ ...app.env });
  try {
    await page.getByRole('button', { name: 'Add a provider' }).click();
    const editor = page.getByRole('dialog', { name: 'Add a provider' });
    const issuerField = editor.getByLabel('Issuer URL', { exact: true });
    await expect(issuerField).toBeFocused();

    // Plain http:// to another computer is refused before anything is sent, in the dialog.
    await issuerField.fill('http://login.acme.example');
    await editor.getByRole('button', { name: 'Look up' }).click();
    await expect(editor.getByText(/Issuer URL must start with https:\/\//)).toBeVisible();
    await expect(issuerField).toHaveAttribute('aria-invalid', 'true');
    await expect(issuerField).toBeFocused();

    await issuerField.fill(sandbox.issuer);
    await editor.getByRole('button', { name: 'Look up' }).click();
    await expect(
      editor.getByRole('status').getByText(/Filled in from http:\/\/127\.0\.0\.1:\d+\/\.well-known\//),
    ).toBeVisible();
    await expect(issuerField).not.toHaveAttribute('aria-invalid', 'true');
    await expect(editor.getByLabel('Authorization URL')).toHaveValue(`${sandbox.issuer}/auth`);
    await expect(editor.getByLabel('Token URL')).toHaveValue(`${sandbox.issuer}/token`);
    await expect(editor.getByLabel('Revocation URL (optional)')).toHaveValue(`${sandbox.issuer}/token/revocation`);
    await expect(editor.getByLabel('Scopes (optional)')).toHaveValue('openid profile email offline_access');
    await expect(editor.getByLabel('Test URL (optional)')).toHaveValue(`${sandbox.issuer}/me`);
    await expect(editor.getByLabel('Issuer (optional)')).toHaveValue(sandbox.issuer);
    await expect(editor.getByLabel('Device authorization endpoint (optional)')).toHaveValue(
      `${sandbox.issuer}/device/auth`,
    );
    await expect(editor.getByRole('radio', { name: 'A person signs in in a browser' })).toBeChecked();
    await expect(editor.getByLabel('Name', { exact: true })).toBeFocused();

    // Every field stays editable: a better name (the ID follows it), and the note's advice.
    await editor.getByLabel('Name', { exact: true }).fill('My Sandbox');
    await expect(editor.getByLabel('ID', { exact: true })).toHaveValue('my-sandbox');
    await expect(editor.getByRole('list', { name: 'Notes from the look-up' })).toContainText('change it to "none"');
    await editor.getByLabel('Token auth method').selectOption('none');
    await editor.getByRole('button', { name: 'Save provider' }).click();
    await expect(editor).toBeHidden();

    const region = providerRegion(page, 'My Sandbox');
    await region.getByRole('button', { name: 'Set up' }).click();
    const setup = page.getByRole('dialog', { name: 'Set up My Sandbox' });
    await setup.getByLabel('Client ID').fill('patchbay-desktop');
    await setup.getByRole('button', { name: 'Save' }).click();
    await expect(setup).toBeHidden();

    const signIn = await app.signIn(() => region.getByRole('button', { name: 'Connect', exact: true }).click());
    await signIn.getByLabel('Account name').fill('Grace');
    await signIn.getByRole('button', { name: 'Sign in' }).click();
    await signIn.getByRole('button', { name: 'Allow' }).click();
    await expect(region.getByText(/Connected as Grace/)).toBeVisible();
  } finally {
    sandbox.stop();
  }
});

test('an address without metadata is explained in the dialog, and the form can still be filled by hand', async ({
  app,
}) => {
  const { page } = app;
  const sandbox = await runSandbox({ ...app.env });
  try {
    await page.getByRole('button', { name: 'Add a provider' }).click();
    const editor = page.getByRole('dialog', { name: 'Add a provider' });
    await editor.getByLabel('Issuer URL', { exact: true }).fill(`${sandbox.issuer}/not-here`);
    await editor.getByRole('button', { name: 'Look up' }).click();
    await expect(editor.getByText(/found no OAuth metadata .* at either address/)).toBeVisible();
    await editor.getByRole('button', { name: 'Fill in by hand' }).click();
    await expect(editor.getByLabel('Name', { exact: true })).toBeFocused();
  } finally {
    sandbox.stop();
  }
});

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const PACKAGE_NAME = 'n8n-nodes-gmail-smtp';

function findRoot(from: string): string | undefined {
	for (let dir = from; ; dir = dirname(dir)) {
		const manifest = join(dir, 'package.json');
		if (existsSync(manifest)) {
			const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
			if (name === PACKAGE_NAME) return dir;
		}
		if (dirname(dir) === dir) return undefined;
	}
}

/**
 * The repository's root (its package.json), found from this file whether it runs from source
 * (jest), from a build inside the repository (.e2e-build/, .bench-build/) or, started from the
 * repository, from a build elsewhere (the demo test's).
 */
export const REPO_ROOT: string = (() => {
	const root = findRoot(__dirname) ?? findRoot(process.cwd());
	if (!root)
		throw new Error(`no ${PACKAGE_NAME} package.json above ${__dirname} or the working folder`);
	return root;
})();

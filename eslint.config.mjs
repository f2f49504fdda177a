// Mirrors @n8n/node-cli's `configWithoutCloudSupport` (the package itself pulls in a current
// n8n-workflow that does not install on Node 20): n8n's community-node rules in their
// self-hosted form, because we ship nodemailer and handlebars as runtime dependencies.
import js from '@eslint/js';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import { globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

const communityNodes = n8nCommunityNodesPlugin.configs.recommendedWithoutN8nCloudSupport;

export default tseslint.config(
	globalIgnores([
		'dist',
		'node_modules',
		'coverage',
		'demo-output',
		'.bench-build',
		'.e2e-build',
		'.demo-build',
	]),
	{
		files: ['**/*.ts'],
		extends: [js.configs.recommended, tseslint.configs.recommended],
		rules: {
			'prefer-spread': 'off',
			'no-console': 'error',
		},
	},
	{
		// Command-line programs print their progress and results: the real-n8n suite, the demo,
		// and the test kit telling that it installs a Debian package.
		files: ['e2e/**/*.ts', 'demo/**/*.ts', 'testkit/**/*.ts'],
		rules: { 'no-console': 'off' },
	},
	{
		files: ['credentials/**/*.ts', 'nodes/**/*.ts'],
		extends: [communityNodes],
	},
	{
		plugins: { 'n8n-nodes-base': n8nNodesBase },
	},
	{
		files: ['package.json'],
		extends: [communityNodes],
		rules: {
			...n8nNodesBase.configs.community.rules,
			// Self-hosted only (see README): nodemailer and handlebars are the product.
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
		},
		languageOptions: {
			parser: tseslint.parser,
			parserOptions: { extraFileExtensions: ['.json'] },
		},
	},
	{
		files: ['credentials/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},
	{
		// Pure modules have no INode to build a NodeOperationError with: they throw their own
		// structured errors, which the operation turns into NodeOperationError at the boundary.
		files: ['nodes/GmailSmtp/{delivery,errors,message,templating,transport}/**/*.ts'],
		rules: { '@n8n/community-nodes/require-node-api-error': 'off' },
	},
);

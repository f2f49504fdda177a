import { isLinkFetcher } from '../../../nodes/GmailSmtp/actions/sendAndWait/linkFetchers';

describe('isLinkFetcher', () => {
	it.each([
		[
			'Outlook (Windows) fetching a link',
			'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)',
		],
		['Office fetching a link', 'Mozilla/4.0 (compatible; ms-office; MSOffice 16)'],
		['Office existence discovery', 'Microsoft Office Existence Discovery'],
		[
			'Teams link preview',
			'Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) SkypeUriPreview Preview/0.5 skype-url-preview@microsoft.com',
		],
		['a crawler', 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)'],
		[
			'headless Chromium',
			'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0.0.0 Safari/537.36',
		],
		['no user agent', undefined],
		['an empty user agent', ''],
	])('%s is a link fetcher', (_label, userAgent) => {
		expect(isLinkFetcher(userAgent)).toBe(true);
	});

	it.each([
		[
			'Chrome on Windows',
			'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
		],
		[
			'Edge',
			'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.87',
		],
		['Firefox', 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'],
		[
			'Safari on iPhone',
			'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
		],
		[
			'Gmail on Android (in-app browser)',
			'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.122 Mobile Safari/537.36',
		],
	])('%s is a person', (_label, userAgent) => {
		expect(isLinkFetcher(userAgent)).toBe(false);
	});
});

import { closeAllTransports } from '../nodes/GmailSmtp/transport/sharedTransports';

// Pooled connections are shared across executions and closed when idle; tests close them after
// each test so that every test server sees its own connections and shuts down at once.
afterEach(() => {
	closeAllTransports();
});

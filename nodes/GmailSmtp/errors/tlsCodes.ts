/** Node's codes for a server certificate it could not verify, over SMTP and IMAP alike. */
export const CERTIFICATE_CODES: ReadonlySet<string> = new Set([
	'SELF_SIGNED_CERT_IN_CHAIN',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'UNABLE_TO_GET_ISSUER_CERT',
	'CERT_HAS_EXPIRED',
	'CERT_NOT_YET_VALID',
	'ERR_TLS_CERT_ALTNAME_INVALID',
	'CERT_UNTRUSTED',
]);

/** OpenSSL's codes when the server offers only TLS older than 1.2, which the node refuses. */
export const TLS_VERSION_CODES: ReadonlySet<string> = new Set([
	'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
	'ERR_SSL_UNSUPPORTED_PROTOCOL',
	'ERR_SSL_NO_PROTOCOLS_AVAILABLE',
	'ERR_SSL_VERSION_TOO_LOW',
]);

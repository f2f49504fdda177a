import { HOUR_MS, MINUTE_MS } from '../../durations';
import { PUSHBACK_POLICY } from './pushback';

/**
 * The Redis store's operations as Lua scripts, so that each check-and-take is atomic across every
 * n8n process. Time is Redis's own clock (`TIME`), so workers on hosts whose clocks disagree still
 * share one window. Keys of one account share a hash tag, so they live in one cluster slot.
 *
 * Ledger members are `<message id>|<recipients>`, scored by when they were counted; a running
 * recipient total sits beside them. Rate and connection members are scored by when they stop
 * counting: an attempt in flight or a connection slot by its lease (renewed while its holder
 * lives), a finished attempt by when it finished.
 */
const NOW = `
if redis.replicate_commands then redis.replicate_commands() end
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
`;

// The push-back arithmetic of pushback.ts, with its constants: written once, in TypeScript.
const { coolDownBaseMs, coolDownMaxMs, streakResetMs, maxLevel, exhaustedMs } = PUSHBACK_POLICY;

/**
 * How long a key outlives what it holds: the day's ledger and push-back by an hour, leases and
 * rate windows by a minute, so that a caller whose clock or round trip is a little behind never
 * finds them expired while they still count.
 */
const DAY_KEY_SLACK_MS = HOUR_MS;
const LEASE_KEY_SLACK_MS = MINUTE_MS;

/**
 * A field of the push-back hash as a number (0 when missing or not a number); a pause never runs
 * longer from now than it could have been set for, however far ahead it was written.
 */
const PUSHBACK_FIELD = `
local function pushbackField(pushbackKey, field, longest)
	local value = tonumber(redis.call('HGET', pushbackKey, field) or '0') or 0
	if longest then value = math.min(value, now + longest) end
	return value
end
`;

const PUSHBACK_BLOCK = `${PUSHBACK_FIELD}
local exhausted = pushbackField(pushbackKey, 'exhaustedUntil', ${exhaustedMs})
if exhausted > now then return {'exhausted', exhausted} end
`;

/**
 * Counts a message in the ledger unless it has no room: returns nil when counted (or when neither
 * limit is set, and nothing is counted), else the refusal.
 */
const RESERVE_FUNCTION = `
local function reserve(ledgerKey, recipientsKey, member, count, limitMessages, limitRecipients, day)
	-- Rows dated after now (counted before Redis's clock stepped back) count as counted now.
	local ahead = redis.call('ZRANGEBYSCORE', ledgerKey, '(' .. now, '+inf')
	for _, row in ipairs(ahead) do redis.call('ZADD', ledgerKey, now, row) end
	local cutoff = now - day
	local stale = redis.call('ZRANGEBYSCORE', ledgerKey, '-inf', cutoff)
	if #stale > 0 then
		local freed = 0
		for _, old in ipairs(stale) do freed = freed + tonumber(string.match(old, '|(%d+)$')) end
		redis.call('ZREMRANGEBYSCORE', ledgerKey, '-inf', cutoff)
		redis.call('DECRBY', recipientsKey, freed)
	end
	if limitMessages <= 0 and limitRecipients <= 0 then return nil end
	local sent = redis.call('ZCARD', ledgerKey)
	local recipients = tonumber(redis.call('GET', recipientsKey) or '0')
	if limitMessages > 0 and sent + 1 > limitMessages then
		local oldest = redis.call('ZRANGE', ledgerKey, 0, 0, 'WITHSCORES')
		return {'messages', sent, recipients, tonumber(oldest[2]) + day}
	end
	if limitRecipients > 0 and recipients + count > limitRecipients then
		local excess, freed, freeAt = recipients + count - limitRecipients, 0, -1
		local rows = redis.call('ZRANGE', ledgerKey, 0, -1, 'WITHSCORES')
		for index = 1, #rows, 2 do
			freed = freed + tonumber(string.match(rows[index], '|(%d+)$'))
			if freed >= excess then freeAt = tonumber(rows[index + 1]) + day break end
		end
		return {'recipients', sent, recipients, freeAt}
	end
	redis.call('ZADD', ledgerKey, now, member)
	redis.call('INCRBY', recipientsKey, count)
	redis.call('PEXPIRE', ledgerKey, day + ${DAY_KEY_SLACK_MS})
	redis.call('PEXPIRE', recipientsKey, day + ${DAY_KEY_SLACK_MS})
	return nil
end
`;

/** KEYS: ledger, recipients, pushback. ARGV: member, recipients, limit messages, limit recipients, day ms. */
export const RESERVE_DAILY = `${NOW}
local pushbackKey = KEYS[3]
${PUSHBACK_BLOCK}
${RESERVE_FUNCTION}
local refused = reserve(KEYS[1], KEYS[2], ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]))
if refused then return refused end
return {'ok'}
`;

/** KEYS: ledger, recipients. ARGV: member, recipients. */
export const RELEASE_DAILY = `
if redis.call('ZREM', KEYS[1], ARGV[1]) == 1 then redis.call('DECRBY', KEYS[2], tonumber(ARGV[2])) end
return 1
`;

/**
 * Fencing of the caller's connections: every connection slot the caller holds is renewed, or taken
 * again if it expired and a slot is free; one that another process took meanwhile (its holder was
 * paused past its lease) is lost, and nothing else happens: the caller closes those connections.
 */
const CONNECTIONS_CHECK = `
local holders, maxConnections = tonumber(ARGV[5]), tonumber(ARGV[6])
if holders > 0 then
	local connectionsKey = KEYS[5]
	redis.call('ZREMRANGEBYSCORE', connectionsKey, '-inf', now)
	local lost = {}
	for index = 7, 6 + holders do
		local holder = ARGV[index]
		if redis.call('ZSCORE', connectionsKey, holder) or redis.call('ZCARD', connectionsKey) < maxConnections then
			redis.call('ZADD', connectionsKey, now + lease, holder)
		else
			lost[#lost + 1] = holder
		end
	end
	redis.call('PEXPIRE', connectionsKey, lease + ${LEASE_KEY_SLACK_MS})
	if #lost > 0 then
		table.insert(lost, 1, 'connectionLost')
		return lost
	end
end
`;

/**
 * KEYS: pushback, rate, ledger, recipients, connections. ARGV: attempt id, slots (0 = no cap),
 * window ms, lease ms, the count of connection slots held, max connections, those holders, and for
 * a message's first attempt: member, recipients, limit messages, limit recipients, day ms (counted
 * as RESERVE_DAILY would, in the same step). A `go` carries the push-back streak, so the caller
 * knows whether a success has a streak to end.
 */
export const START_ATTEMPT = `${NOW}
local pushbackKey, rateKey = KEYS[1], KEYS[2]
local slots, window, lease = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
${CONNECTIONS_CHECK}
${PUSHBACK_BLOCK}
${RESERVE_FUNCTION}
local daily = 7 + holders
if #ARGV >= daily then
	local refused = reserve(KEYS[3], KEYS[4], ARGV[daily], tonumber(ARGV[daily + 1]), tonumber(ARGV[daily + 2]), tonumber(ARGV[daily + 3]), tonumber(ARGV[daily + 4]))
	if refused then return refused end
end
local coolDown = pushbackField(pushbackKey, 'coolDownUntil', ${coolDownMaxMs})
if coolDown > now then return {'coolDown', coolDown} end
local streak = pushbackField(pushbackKey, 'level')
if slots <= 0 then return {'go', streak} end
redis.call('ZREMRANGEBYSCORE', rateKey, '-inf', now - window)
if redis.call('ZCARD', rateKey) >= slots then
	local earliest = redis.call('ZRANGE', rateKey, 0, 0, 'WITHSCORES')
	return {'rate', math.max(1, tonumber(earliest[2]) + window - now)}
end
redis.call('ZADD', rateKey, now + lease, ARGV[1])
redis.call('PEXPIRE', rateKey, window + lease + ${LEASE_KEY_SLACK_MS})
return {'go', streak}
`;

/** KEYS: pushback, rate. ARGV: attempt id, outcome. Same arithmetic as pushback.ts. */
export const FINISH_ATTEMPT = `${NOW}
local pushbackKey, rateKey, outcome = KEYS[1], KEYS[2], ARGV[2]
${PUSHBACK_FIELD}
if redis.call('ZSCORE', rateKey, ARGV[1]) then redis.call('ZADD', rateKey, now, ARGV[1]) end
if outcome == 'throttled' then
	local level = pushbackField(pushbackKey, 'level')
	local lastAt = pushbackField(pushbackKey, 'lastAt')
	local coolDown = pushbackField(pushbackKey, 'coolDownUntil', ${coolDownMaxMs})
	if now - lastAt > ${streakResetMs} then level = 0 end
	level = math.min(level + 1, ${maxLevel})
	local pause = math.min(${coolDownMaxMs}, ${coolDownBaseMs} * 2 ^ (level - 1))
	redis.call('HSET', pushbackKey, 'level', level, 'lastAt', now, 'coolDownUntil', math.max(coolDown, now + pause))
elseif outcome == 'exhausted' then
	local exhausted = pushbackField(pushbackKey, 'exhaustedUntil', ${exhaustedMs})
	redis.call('HSET', pushbackKey, 'exhaustedUntil', math.max(exhausted, now + ${exhaustedMs}))
elseif outcome == 'accepted' then
	if pushbackField(pushbackKey, 'level') > 0 then
		redis.call('HSET', pushbackKey, 'level', 0)
	end
	return 1
else
	return 1
end
redis.call('PEXPIRE', pushbackKey, ${exhaustedMs} + ${DAY_KEY_SLACK_MS})
return 1
`;

/** KEYS: connections. ARGV: holder, max, lease ms. */
export const ACQUIRE_CONNECTION = `${NOW}
local key, holder, max, lease = KEYS[1], ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
if redis.call('ZSCORE', key, holder) or redis.call('ZCARD', key) < max then
	redis.call('ZADD', key, now + lease, holder)
	redis.call('PEXPIRE', key, lease + ${LEASE_KEY_SLACK_MS})
	return {'ok'}
end
local earliest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
return {'wait', math.max(1, tonumber(earliest[2]) - now)}
`;

/** KEYS: connections, rate. ARGV: lease ms, connection holder count, holders…, attempt ids…. */
export const RENEW_LEASES = `${NOW}
local lease, holders = tonumber(ARGV[1]), tonumber(ARGV[2])
for index = 3, #ARGV do
	local key = index < 3 + holders and KEYS[1] or KEYS[2]
	local score = redis.call('ZSCORE', key, ARGV[index])
	-- A finished attempt is scored in the past and must keep that score.
	if score and tonumber(score) > now then redis.call('ZADD', key, now + lease, ARGV[index]) end
end
redis.call('PEXPIRE', KEYS[1], lease + ${LEASE_KEY_SLACK_MS})
local rateTtl = redis.call('PTTL', KEYS[2])
if rateTtl > 0 and rateTtl < lease + ${LEASE_KEY_SLACK_MS} then redis.call('PEXPIRE', KEYS[2], lease + ${LEASE_KEY_SLACK_MS}) end
return 1
`;

/**
 * KEYS: ledger, recipients, pushback of the account, then the same keys as an earlier version
 * named them. Each is taken over only where the account has none of its own.
 */
export const ADOPT_LEGACY = `
for index = 1, 3 do
	if redis.call('EXISTS', KEYS[index]) == 0 and redis.call('EXISTS', KEYS[index + 3]) == 1 then
		redis.call('RENAME', KEYS[index + 3], KEYS[index])
	end
end
return 1
`;

package io.leadrouter.security;

import java.util.Set;

/**
 * A credential as looked up: what it is, the roles it grants and the requests a minute it may make (0: the
 * configured default).
 */
record Caller(Credential credential, Set<String> roles, int requestsPerMinute) {
}

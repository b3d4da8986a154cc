package io.leadrouter.policy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

import io.leadrouter.routing.AccountKeys;

/**
 * Owner affinity of a team: a lead whose account matches an earlier lead's goes first to that lead's owner.
 *
 * @param by the keys to match on, tried in order: {@code attributes.accountId}, {@code emailDomain} (free-mail
 *     domains never match), {@code company} (the normalised name, {@link AccountKeys#company}); empty: off
 * @param window how recent the earlier lead must be (its creation)
 * @param freeMailDomains free-mail domains besides the built-in {@link AccountKeys#FREE_MAIL}, same forms
 */
public record AffinityRule(List<String> by, Duration window, Set<String> freeMailDomains) {

    public static final String ACCOUNT_ID = "attributes.accountId";
    public static final String EMAIL_DOMAIN = "emailDomain";
    public static final String COMPANY = "company";
    public static final Set<String> KEYS = Set.of(ACCOUNT_ID, EMAIL_DOMAIN, COMPANY);
    public static final AffinityRule DEFAULT = new AffinityRule(List.of(ACCOUNT_ID, EMAIL_DOMAIN), Duration.ofDays(90), Set.of());

    public boolean off() {
        return by.isEmpty();
    }

    /**
     * The lead's value of each key this rule matches on, in the rule's order, the keys it has no value for left out:
     * an e-mail domain of a free-mail provider is no account.
     */
    public LinkedHashMap<String, String> keysOf(Object accountId, String email, String company) {
        LinkedHashMap<String, String> keys = new LinkedHashMap<>();
        for (String key : by) {
            String value = switch (key) {
                case ACCOUNT_ID -> accountId instanceof String s && !s.isBlank() ? s
                        : accountId instanceof Number n ? n.toString() : null;
                case EMAIL_DOMAIN -> {
                    String domain = AccountKeys.emailDomain(email);
                    yield domain == null || AccountKeys.freeMail(domain, freeMailDomains) ? null : domain;
                }
                default -> AccountKeys.company(company);
            };
            if (value != null) {
                keys.put(key, value);
            }
        }
        return keys;
    }
}

package io.leadrouter.routing;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The account a lead belongs to, as owner affinity matches it: the e-mail domain (none for free-mail
 * providers) and the normalised company name. Pure, so the service's intake and lookup and the replay
 * derive the same keys.
 */
public final class AccountKeys {

    /**
     * Free-mail providers: their domain says nothing about the account. An entry ending in {@code .*} covers
     * every domain of that provider ({@code yahoo.*}: yahoo.com, yahoo.co.uk).
     */
    public static final List<String> FREE_MAIL = List.of("gmail.com", "googlemail.com", "yahoo.*", "ymail.com",
            "rocketmail.com", "hotmail.*", "outlook.*", "live.*", "msn.com", "passport.com", "aol.*", "aim.com",
            "icloud.com", "me.com", "mac.com", "gmx.*", "web.de", "t-online.de", "freenet.de", "proton.me",
            "protonmail.com", "protonmail.ch", "pm.me", "tutanota.com", "tuta.io", "yandex.*", "ya.ru", "mail.ru",
            "inbox.ru", "bk.ru", "list.ru", "rambler.ru", "qq.com", "163.com", "126.com", "sina.com", "sohu.com",
            "zoho.com", "zohomail.com", "mail.com", "email.com", "usa.com", "fastmail.com", "fastmail.fm", "hushmail.com",
            "laposte.net", "orange.fr", "wanadoo.fr", "free.fr", "sfr.fr", "libero.it", "virgilio.it", "tiscali.it",
            "seznam.cz", "wp.pl", "o2.pl", "interia.pl", "onet.pl", "naver.com", "daum.net", "hanmail.net", "rediffmail.com",
            "comcast.net", "verizon.net", "att.net", "sbcglobal.net", "bellsouth.net", "cox.net", "btinternet.com",
            "sky.com", "bigpond.com", "optusnet.com.au", "shaw.ca", "rogers.com", "uol.com.br", "bol.com.br", "terra.com.br");

    /** Legal-form words dropped from a company name wherever they stand (after punctuation is gone). */
    private static final Set<String> LEGAL_SUFFIXES = Set.of("inc", "incorporated", "llc", "llp", "lp", "ltd", "limited",
            "plc", "gmbh", "ag", "kg", "sa", "sas", "sarl", "srl", "spa", "bv", "nv", "ab", "as", "asa", "oy", "oyj", "kk",
            "pty", "pte", "corp", "corporation", "co", "company", "sl", "se", "ug", "mbh");
    private static final Pattern NOT_ALPHANUMERIC = Pattern.compile("[^\\p{L}\\p{N}]+");
    /** Longer names are cut: the key is for equality, and a CRM's text can be long. */
    static final int MAX_KEY = 200;

    private AccountKeys() {
    }

    /** The lower-case domain of an e-mail address, or null when there is none. */
    public static String emailDomain(String email) {
        if (email == null) {
            return null;
        }
        int at = email.lastIndexOf('@');
        String domain = at < 0 ? "" : email.substring(at + 1).strip().toLowerCase(Locale.ROOT);
        return domain.isEmpty() || domain.length() > 253 ? null : domain;
    }

    /** Whether the domain is a free-mail provider's, built in or among {@code extra} (same entry forms). */
    public static boolean freeMail(String domain, Set<String> extra) {
        return FREE_MAIL.stream().anyMatch(entry -> covers(entry, domain)) || extra.stream().anyMatch(entry -> covers(entry, domain));
    }

    private static boolean covers(String entry, String domain) {
        return entry.endsWith(".*") ? domain.startsWith(entry.substring(0, entry.length() - 1)) : domain.equals(entry);
    }

    /**
     * A company name for matching: lower case, punctuation gone, legal forms dropped ({@code "ACME, Inc."},
     * {@code "Acme Inc"} and {@code "acme"} are one company); null when nothing is left.
     */
    public static String company(String name) {
        if (name == null) {
            return null;
        }
        String text = name.length() > 4 * MAX_KEY ? name.substring(0, 4 * MAX_KEY) : name;
        StringBuilder key = new StringBuilder();
        // dots and apostrophes join what they separate: "S.A." is "sa", "O'Brien" is "obrien"
        String joined = text.toLowerCase(Locale.ROOT).replace(".", "").replace("'", "").replace("\u2019", "");
        for (String word : NOT_ALPHANUMERIC.split(joined)) {
            if (!word.isEmpty() && !LEGAL_SUFFIXES.contains(word)) {
                key.append(key.isEmpty() ? "" : " ").append(word);
            }
        }
        String result = key.length() > MAX_KEY ? key.substring(0, MAX_KEY) : key.toString();
        return result.isEmpty() ? null : result;
    }
}

package io.leadrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AccountKeysTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = { "ACME, Inc.|acme", "Acme Inc|acme", "acme|acme", "Acme GmbH & Co. KG|acme",
            "Globex Corporation|globex", "Initech LLC|initech", "Umbrella Ltd.|umbrella", "Société Générale S.A.|société générale",
            "Müller AG|müller", "Stark  Industries, Ltd|stark industries", "3M Company|3m" })
    void companyNamesAreNormalisedWithoutPunctuationAndLegalForms(String name, String key) {
        assertThat(AccountKeys.company(name)).isEqualTo(key);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "  ", "Inc.", "LLC, Ltd." })
    void aNameOfOnlyLegalFormsOrPunctuationHasNoKey(String name) {
        assertThat(AccountKeys.company(name)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = { "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "hotmail.fr", "outlook.com", "live.com",
            "msn.com", "aol.com", "icloud.com", "me.com", "gmx.de", "gmx.net", "web.de", "proton.me", "protonmail.com",
            "yandex.ru", "mail.ru", "qq.com", "163.com", "zoho.com" })
    void freeMailDomainsAreKnown(String domain) {
        assertThat(AccountKeys.freeMail(domain, Set.of())).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "globex.com", "acme.io", "yahoocorp.com", "mygmail.com", "webde.com" })
    void companyDomainsAreNotFreeMail(String domain) {
        assertThat(AccountKeys.freeMail(domain, Set.of())).isFalse();
        assertThat(AccountKeys.freeMail(domain, Set.of(domain))).as("unless the policy says so").isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = { "Ann@Globex.COM|globex.com", "a@b@acme.io|acme.io", "no-at-sign|", "trailing@|" })
    void theEmailDomainIsTheLowerCasePartAfterTheLastAt(String email, String domain) {
        assertThat(AccountKeys.emailDomain(email)).isEqualTo(domain);
    }
}

package io.leadrouter.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.leadrouter.common.DomainException;

/** Where webhooks may not go, and when they are tried again. */
class TargetCheckTest {

    @Test
    void internalAddressesAreRefusedAndPublicOnesAllowed() throws Exception {
        for (String internal : List.of("127.0.0.1", "127.8.9.1", "::1", "0.0.0.0", "::", "10.1.2.3", "172.16.0.1", "172.31.255.254",
                "192.168.1.1", "169.254.169.254", "fe80::1", "fd00:ec2::254", "fc00::1", "100.64.0.1", "100.127.255.1",
                "224.0.0.1", "::ffff:127.0.0.1", "::ffff:10.0.0.1")) {
            assertThat(TargetCheck.refusal(InetAddress.getByName(internal))).as(internal).isPresent();
        }
        for (String external : List.of("8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2001:4860:4860::8888", "93.184.216.34")) {
            assertThat(TargetCheck.refusal(InetAddress.getByName(external))).as(external).isEmpty();
        }
    }

    @Test
    void onlyPlainHttpAndHttpsUrlsWithoutCredentialsPass() {
        assertThat(TargetCheck.parse("https://hooks.example.com/lead-router?x=1").getHost()).isEqualTo("hooks.example.com");
        for (String bad : List.of("ftp://example.com/x", "file:///etc/passwd", "https://user:pw@example.com/", "example.com/x",
                "https:///nohost", "gopher://example.com", "http://exa mple.com")) {
            assertThatThrownBy(() -> TargetCheck.parse(bad)).as(bad).isInstanceOf(DomainException.class)
                    .extracting(e -> ((DomainException) e).code()).isEqualTo("UNSAFE_TARGET");
        }
    }

    @Test
    void retriesWaitTheirStepGiveOrTakeAFifthAndEndWithTheSchedule() {
        RetrySchedule schedule = new RetrySchedule(List.of(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30)));
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200; i++) {
            assertThat(schedule.after(1, random).orElseThrow()).isBetween(Duration.ofMillis(4000), Duration.ofMillis(6000));
            assertThat(schedule.after(3, random).orElseThrow()).isBetween(Duration.ofMinutes(24), Duration.ofMinutes(36));
        }
        assertThat(schedule.after(4, random)).isEmpty();
    }

    @Test
    void aSignatureIsTheStandardWebhooksOne() {
        // the example of the Standard Webhooks specification's reference libraries
        String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        String signature = WebhookSignature.sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
                "{\"test\": 2432232314}");
        assertThat(signature).isEqualTo("g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        assertThat(WebhookSignature.header(List.of(secret, WebhookSignature.newSecret()), "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330, "{\"test\": 2432232314}")).startsWith("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE= v1,");
    }
}

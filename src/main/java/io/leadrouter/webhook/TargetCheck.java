package io.leadrouter.webhook;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.leadrouter.LeadRouterConfig;
import io.leadrouter.common.DomainException;
import io.leadrouter.common.Problem;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Where webhooks may go: http(s) URLs whose host resolves to public addresses only. Loopback, private, link-local
 * (where clouds serve instance metadata), unique-local, shared (CGNAT) and unspecified addresses are refused unless
 * {@code leadrouter.webhooks.allow-private-targets}, so a key holder cannot make the router call into its own network.
 * Checked when an endpoint is created and again before every delivery (the name may resolve elsewhere by then).
 */
@ApplicationScoped
public class TargetCheck {

    private final LeadRouterConfig config;
    private final Vertx vertx;

    public TargetCheck(LeadRouterConfig config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
    }

    /** The URL, parsed and checked; a refusal is an INVALID {@code UNSAFE_TARGET} naming the field {@code url}. */
    public Uni<URI> check(String url) {
        URI uri = parse(url);
        if (config.webhooks().allowPrivateTargets()) {
            return Uni.createFrom().item(uri);
        }
        // name resolution blocks: on a worker, and back on the caller's context (Hibernate Reactive needs it) after
        return Uni.createFrom().completionStage(() -> vertx.executeBlocking(() -> resolve(uri.getHost()), false).toCompletionStage())
                .map(addresses -> {
                    for (InetAddress address : addresses) {
                        refusal(address).ifPresent(why -> {
                            throw refused(uri.getHost() + " resolves to " + address.getHostAddress() + ", " + why);
                        });
                    }
                    return uri;
                });
    }

    static URI parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw refused("not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
            throw refused("must be an absolute http or https URL");
        }
        if (uri.getRawUserInfo() != null) {
            throw refused("must not carry credentials");
        }
        return uri;
    }

    /** Why deliveries may not go to this address, or empty when they may. */
    static Optional<String> refusal(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address.isLoopbackAddress()) {
            return Optional.of("a loopback address");
        }
        if (address.isAnyLocalAddress() || bytes.length == 4 && bytes[0] == 0) {
            return Optional.of("an unspecified address");
        }
        if (address.isLinkLocalAddress()) {
            return Optional.of("a link-local address (instance metadata lives there)");
        }
        if (address.isSiteLocalAddress() || address instanceof Inet6Address && (bytes[0] & 0xfe) == 0xfc) {
            return Optional.of("a private address");
        }
        if (bytes.length == 4 && (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64) {
            return Optional.of("a shared (carrier-grade NAT) address");
        }
        if (address.isMulticastAddress()) {
            return Optional.of("a multicast address");
        }
        return Optional.empty();
    }

    private static InetAddress[] resolve(String host) {
        try {
            return InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw refused(host + " does not resolve");
        }
    }

    private static DomainException refused(String why) {
        return DomainException.invalid("UNSAFE_TARGET", "The webhook URL is refused: " + why,
                List.of(new Problem.FieldError("url", why)));
    }
}

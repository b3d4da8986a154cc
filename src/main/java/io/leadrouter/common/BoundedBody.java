package io.leadrouter.common;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;

/** Reads a response of a server we call (a webhook receiver, a CRM) up to a limit: the rest is read and dropped. */
public final class BoundedBody {

    private BoundedBody() {
    }

    /** The first {@code limit} bytes of the body, once the response has ended. */
    public static Future<Buffer> read(HttpClientResponse response, int limit) {
        Buffer kept = Buffer.buffer();
        response.handler(chunk -> {
            if (kept.length() < limit) {
                kept.appendBuffer(chunk, 0, Math.min(chunk.length(), limit - kept.length()));
            }
        });
        return response.end().map(done -> kept);
    }
}

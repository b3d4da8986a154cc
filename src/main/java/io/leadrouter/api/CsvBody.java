package io.leadrouter.api;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;

import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.core.MediaType;

/** A {@code text/csv} body as text, in the charset its content type names (UTF-8 when it names none). */
final class CsvBody {

    static final String MEDIA_TYPE = "text/csv";

    private CsvBody() {
    }

    static Reader reader(MediaType type, InputStream body) {
        String charset = type == null ? null : type.getParameters().get(MediaType.CHARSET_PARAMETER);
        try {
            return new InputStreamReader(body, charset == null ? StandardCharsets.UTF_8 : Charset.forName(charset));
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new NotSupportedException("Unsupported charset " + charset);
        }
    }
}

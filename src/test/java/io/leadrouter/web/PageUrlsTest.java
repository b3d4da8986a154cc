package io.leadrouter.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.assertj.core.api.Assertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.log.LogDetail;

/**
 * Both web pages at every URL they are opened by, without a browser: the page answers 200 itself (no redirect),
 * and every stylesheet and script it references, resolved against that URL as a browser would, answers 200 with
 * a CSS or JavaScript type. The manager console was blank at /manager/ while its assets were relative.
 */
@QuarkusTest
class PageUrlsTest {

    private static final Pattern TAG = Pattern.compile("<(link|script)\\b([^>]*)>", Pattern.CASE_INSENSITIVE);
    private static final Pattern ATTRIBUTE = Pattern.compile("\\b(rel|href|src)\\s*=\\s*\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);

    @TestHTTPResource("/")
    URI root;

    private record Asset(String ref, boolean script) {
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "/manager    | Lead Router · Manager console",
            "/manager/   | Lead Router · Manager console",
            "/           | Lead Router — Agent",
            "/index.html | Lead Router — Agent" })
    void thePageAndEveryStylesheetAndScriptItReferencesAnswer(String path, String title) {
        URI page = root.resolve(path);
        String html = given().redirects().follow(false).get(page).then().statusCode(200)
                .contentType(startsWith("text/html")).body(containsString("<title>" + title + "</title>"))
                // no script or style but the page's own files, and never inside another site's frame
                .header("Content-Security-Policy", allOf(containsString("script-src 'self'"), containsString("style-src 'self'"),
                        containsString("frame-ancestors 'none'"), not(containsString("unsafe"))))
                .header("X-Content-Type-Options", "nosniff")
                .extract().asString();
        Assertions.assertThat(html).as("no inline script or style in " + path).doesNotContainPattern("<script(?![^>]*\\bsrc=)")
                .doesNotContain("<style").doesNotContainPattern("\\sstyle=").doesNotContainPattern("\\son[a-z]+=");

        List<Asset> assets = assets(html);
        Assertions.assertThat(assets).as("stylesheets and scripts of " + path)
                .anyMatch(Asset::script).anyMatch(a -> !a.script());
        for (Asset asset : assets) {
            URI url = page.resolve(asset.ref());
            given().log().ifValidationFails(LogDetail.URI).redirects().follow(false).get(url).then().statusCode(200)
                    .contentType(asset.script() ? matchesPattern("(text|application)/javascript.*") : startsWith("text/css"));
        }
    }

    /** The src of every script and the href of every stylesheet link, as written in the page. */
    private static List<Asset> assets(String html) {
        List<Asset> assets = new ArrayList<>();
        Matcher tag = TAG.matcher(html);
        while (tag.find()) {
            boolean script = tag.group(1).equalsIgnoreCase("script");
            String rel = null;
            String ref = null;
            Matcher attribute = ATTRIBUTE.matcher(tag.group(2));
            while (attribute.find()) {
                switch (attribute.group(1).toLowerCase()) {
                    case "rel" -> rel = attribute.group(2);
                    case "src" -> ref = script ? attribute.group(2) : ref;
                    default -> ref = script ? ref : attribute.group(2);
                }
            }
            if (ref != null && (script || "stylesheet".equalsIgnoreCase(rel))) {
                assets.add(new Asset(ref, script));
            }
        }
        return assets;
    }
}

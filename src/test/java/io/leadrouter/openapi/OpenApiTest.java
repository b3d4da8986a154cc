package io.leadrouter.openapi;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.leadrouter.support.Api;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/** The API description, generated from the resources (errors and roles included), for the holders of a key that may read. */
@QuarkusTest
class OpenApiTest {

    @TestHTTPResource(value = "/", management = true)
    URI management;

    @Test
    void theDocumentListsTheApiAndItsBearerScheme() {
        ValidatableResponse document = Api.as(Api.key("read")).queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("info.title", equalTo("Lead Router API"));
        for (String path : List.of("/api/v1/leads", "/api/v1/reps/{repId}", "/api/v1/routing/policy", "/api/v1/stats/fairness")) {
            document.body("paths", hasKey(path));
        }
        document.body("components.securitySchemes.bearer.type", equalTo("http"))
                .body("components.securitySchemes.bearer.scheme", equalTo("bearer"))
                // operations that need an API key say so, with the role
                .body("paths.'/api/v1/leads'.post.security.bearer", hasItem(List.of("intake")))
                .body("paths.'/api/v1/routing/policy'.put.security.bearer", hasItem(List.of("admin")));
    }

    @Test
    void theDocumentNeedsAKeyThatMayRead() {
        given().get("/q/openapi").then().statusCode(401);
        Api.as("not-a-key").get("/q/openapi").then().statusCode(401);
        Api.as(Api.key("intake")).get("/q/openapi").then().statusCode(403);
        Api.as(Api.key("intake")).get("/q/openapi.json").then().statusCode(403);
    }

    @Test
    void theManagementPortCarriesHealthAndMetricsOnly() {
        Api.management(management).get("/q/openapi").then().statusCode(404);
        Api.management(management).get("/q/swagger-ui").then().statusCode(404);
    }
}

package io.leadrouter.common;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Path and query parameters, decoded, holding U+0000 are refused before any resource sees them (400 on the parameter). */
public class NulParameterFilter {

    @ServerRequestFilter
    public void refuseNul(UriInfo uri) {
        refuse(uri.getPathParameters());
        refuse(uri.getQueryParameters());
    }

    private static void refuse(MultivaluedMap<String, String> parameters) {
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            if (NulCharacter.in(parameter.getKey()) || parameter.getValue().stream().anyMatch(NulCharacter::in)) {
                throw DomainException.invalid(List.of(new Problem.FieldError(NulCharacter.shown(parameter.getKey()), NulCharacter.REASON)));
            }
        }
    }
}

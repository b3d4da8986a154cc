package io.leadrouter.policy;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadrouter.common.DomainException;

/** Policy documents as the live policy and the shadow store them: checked, written as JSON, read back and compiled. */
@ApplicationScoped
public class StoredPolicies {

    private final PolicyCompiler compiler;
    private final ObjectMapper mapper;

    public StoredPolicies(PolicyCompiler compiler, ObjectMapper mapper) {
        this.compiler = compiler;
        this.mapper = mapper;
    }

    /** The refusal of a document with invalid fields ({@code INVALID_POLICY}), or null when it compiles. */
    DomainException refusal(PolicyDocument document) {
        PolicyCompiler.Result checked = compiler.compile(document, 0);
        return checked.errors().isEmpty() ? null
                : DomainException.invalid("INVALID_POLICY", "The policy has invalid fields", checked.errors());
    }

    /** A stored version compiled; {@code what} names it in the failure of a version that no longer compiles. */
    Policy compile(PolicyDocument document, int version, String what) {
        PolicyCompiler.Result result = compiler.compile(document, version);
        if (result.policy() == null) {
            throw new IllegalStateException("Stored " + what + " version " + version + " no longer compiles: " + result.errors());
        }
        return result.policy();
    }

    PolicyDocument read(String json, String what) {
        try {
            return mapper.readValue(json, PolicyDocument.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored " + what + " is unreadable", e);
        }
    }

    String write(PolicyDocument document) {
        try {
            return mapper.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

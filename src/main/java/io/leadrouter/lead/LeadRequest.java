package io.leadrouter.lead;

import java.math.BigDecimal;
import java.util.Map;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.leadrouter.common.IsoCountry;
import io.leadrouter.common.IsoLanguage;

/** A lead as a CRM sends it. Server-owned fields are not here, so naming one is refused. */
public record LeadRequest(
        @Size(max = 200) String externalId,
        @Size(max = 100) String source,
        @Size(max = 200) String name,
        @Email @Size(max = 320) String email,
        @Pattern(regexp = "^[+0-9 ().\\-/x]{3,40}$", message = "must be a phone number") String phone,
        @Size(max = 200) String company,
        @IsoCountry String country,
        @Size(max = 50) String region,
        @Size(max = 20) String postalCode,
        @IsoLanguage String language,
        @Size(max = 100) String product,
        @Size(max = 100) String industry,
        @DecimalMin("0") @Digits(integer = 16, fraction = 2) BigDecimal value,
        @Min(0) @Max(100) Integer score,
        @Size(max = 20) Map<@Pattern(regexp = "^[a-z0-9_.-]{1,50}$", message = "must be a skill name of a-z, 0-9, _ . -") String,
                @NotNull @Min(1) @Max(5) Integer> requiredSkills,
        @Size(max = 50) Map<@Size(min = 1, max = 100) String, Object> attributes,
        @Pattern(regexp = "^[A-Za-z0-9._-]{1,100}$", message = "must be a team name of letters, digits, . _ -") String team) {

    /** The CRM must name the lead somehow. */
    public boolean identifiesSomeone() {
        return notBlank(name) || notBlank(email) || notBlank(company);
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }
}

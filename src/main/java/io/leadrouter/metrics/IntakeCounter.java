package io.leadrouter.metrics;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import io.leadrouter.lead.BatchResponse;
import io.leadrouter.lead.DuplicateAnswer;
import io.leadrouter.lead.ImportReport;
import io.leadrouter.lead.IntakeResult;


/**
 * Counts what became of the leads sent in, from the intake's answer: a refusal can come from JSON
 * binding, header validation, security or the resource itself, and all of them end here.
 */
@Provider
@IntakeCounted
public class IntakeCounter implements ContainerResponseFilter {

    private final LeadRouterMetrics metrics;

    public IntakeCounter(LeadRouterMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getEntity() instanceof BatchResponse batch) {
            batch.results().forEach(result -> metrics.intake(result.outcome()));
        } else if (response.getEntity() instanceof DuplicateAnswer) {
            metrics.intake(IntakeResult.Outcome.DUPLICATE);
        } else if (response.getEntity() instanceof ImportReport imported) {
            metrics.intake(IntakeResult.Outcome.CREATED, imported.created());
            metrics.intake(IntakeResult.Outcome.REPLAYED, imported.replayed());
            metrics.intake(IntakeResult.Outcome.DUPLICATE, imported.duplicates());
            metrics.intake(IntakeResult.Outcome.ERROR, imported.errors());
        } else if (response.getStatus() == Response.Status.CREATED.getStatusCode()) {
            metrics.intake(IntakeResult.Outcome.CREATED);
        } else if (response.getStatus() == Response.Status.OK.getStatusCode()) {
            metrics.intake(IntakeResult.Outcome.REPLAYED);
        } else if (response.getStatusInfo().getFamily() == Response.Status.Family.CLIENT_ERROR) {
            metrics.intake(IntakeResult.Outcome.ERROR);
        }
    }
}

package io.leadrouter.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package graph docs/architecture.md draws: acyclic, with the edges (REST, sockets, console) on top, the lead
 * lifecycle under them, and the routing core at the bottom, plain Java that the replay reuses.
 */
@AnalyzeClasses(packages = "io.leadrouter", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("io.leadrouter.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule theRoutingCoreIsPlainJava = classes().that().resideInAPackage("io.leadrouter.routing..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("io.leadrouter.routing..", "java..",
                    // records name their JSON shape; no framework behaviour comes with these annotations
                    "com.fasterxml.jackson.annotation..")
            .because("the routing decision is reused by the replay and tested without a framework");

    @ArchTest
    static final ArchRule theLifecycleReachesNoEdge = noClasses().that().resideInAPackage("io.leadrouter.lifecycle..")
            .should().dependOnClassesThat().resideInAnyPackage("io.leadrouter.api..", "io.leadrouter.agent..",
                    "io.leadrouter.console..", "io.leadrouter.presence..", "io.leadrouter.metrics..", "io.leadrouter.replica..",
                    "io.leadrouter.webhook..", "io.leadrouter.crm..", "io.leadrouter.salesforce..", "io.leadrouter.source..")
            .because("sockets, metrics, the console, webhooks and CRM connectors react to the lifecycle's events; it never calls them");

    @ArchTest
    static final ArchRule theEventLogKnowsNoFeature = noClasses().that().resideInAPackage("io.leadrouter.event..")
            .should().dependOnClassesThat().resideInAnyPackage("io.leadrouter.agent..", "io.leadrouter.api..",
                    "io.leadrouter.console..", "io.leadrouter.crm..", "io.leadrouter.lead..", "io.leadrouter.lifecycle..",
                    "io.leadrouter.metrics..", "io.leadrouter.offer..", "io.leadrouter.policy..", "io.leadrouter.presence..",
                    "io.leadrouter.queue..", "io.leadrouter.rep..", "io.leadrouter.replay..", "io.leadrouter.replica..",
                    "io.leadrouter.routing..", "io.leadrouter.salesforce..", "io.leadrouter.source..", "io.leadrouter.stats..",
                    "io.leadrouter.webhook..")
            .because("every feature writes to the log and subscribes to it");

    @ArchTest
    static final ArchRule nothingDependsOnTheRestEdge = noClasses().that().resideOutsideOfPackage("io.leadrouter.api..")
            .should().dependOnClassesThat().resideInAPackage("io.leadrouter.api..");

    @ArchTest
    static final ArchRule servicesRaiseNoHttpTypes = noClasses().that().resideInAnyPackage("io.leadrouter.lifecycle..",
            "io.leadrouter.presence..", "io.leadrouter.policy..", "io.leadrouter.event..", "io.leadrouter.routing..")
            .should().dependOnClassesThat().resideInAnyPackage("jakarta.ws.rs..", "io.quarkus.websockets..")
            .because("services raise domain errors; the REST and socket edges map them");
}

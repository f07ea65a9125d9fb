package dev.streamfirst.testing.kit;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The {@link PipelineKit} as a JUnit 5 extension: a test method (or constructor) taking a {@code
 * PipelineKit} gets a fresh one, and a test that prepared a run but never ran it fails.
 *
 * <pre>{@code
 * @ExtendWith(PipelineKitExtension.class)
 * class ClickAlertsTest {
 *   @Test
 *   void malformedLine_isDeadLettered(PipelineKit kit) {
 *     PipelineRun run = kit.pipeline("rollup").readLines("not json");
 *     run.deadLetters().inStage("parse").hasPayloads("not json");
 *     run.run();
 *   }
 * }
 * }</pre>
 */
public final class PipelineKitExtension implements ParameterResolver, AfterEachCallback {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(PipelineKitExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == PipelineKit.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(PipelineKit.class, type -> PipelineKit.create(), PipelineKit.class);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    PipelineKit kit = context.getStore(NAMESPACE).remove(PipelineKit.class, PipelineKit.class);
    if (kit != null) {
      kit.verifyAllRun();
    }
  }
}

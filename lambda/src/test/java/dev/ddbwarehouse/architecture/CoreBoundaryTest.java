package dev.ddbwarehouse.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The pure core ({@code dev.ddbwarehouse.core..}) knows no AWS, Lambda, jOOQ or JDBC type and none
 * of the adapters around it: the handler, the sink, the AWS clients and the connection depend on
 * the core, never the other way round.
 */
class CoreBoundaryTest {

  /** The module's own compiled classes (not the whole classpath: a fraction of a second). */
  private static final JavaClasses PRODUCTION =
      new ClassFileImporter().importPath(Path.of("target", "classes"));

  @Test
  void coreImportsNoAwsLambdaJooqOrJdbcType() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAPackage("dev.ddbwarehouse.core..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "com.amazonaws..",
                "software.amazon..",
                "org.jooq..",
                "java.sql..",
                "org.postgresql..");
    rule.check(PRODUCTION);
  }

  @Test
  void coreDependsOnNoAdapter() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAPackage("dev.ddbwarehouse.core..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "dev.ddbwarehouse.lambda..",
                "dev.ddbwarehouse.sink..",
                "dev.ddbwarehouse.aws..",
                "dev.ddbwarehouse.db..",
                "dev.ddbwarehouse.config..",
                "dev.ddbwarehouse.observability..");
    rule.check(PRODUCTION);
  }
}

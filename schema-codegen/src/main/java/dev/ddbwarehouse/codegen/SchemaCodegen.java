package dev.ddbwarehouse.codegen;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.jooq.codegen.GenerationTool;
import org.jooq.meta.jaxb.Configuration;
import org.jooq.meta.jaxb.Database;
import org.jooq.meta.jaxb.Generate;
import org.jooq.meta.jaxb.Generator;
import org.jooq.meta.jaxb.Jdbc;
import org.jooq.meta.jaxb.SchemaMappingType;
import org.jooq.meta.jaxb.Target;

/**
 * Generates the jOOQ classes from the Flyway migrations as PostgreSQL itself understands them.
 *
 * <p>jOOQ's DDLDatabase would interpret the scripts with its own parser, which does not know roles,
 * grants or every PostgreSQL type; migrating a real (embedded) server first means the generated
 * code can never disagree with what production runs.
 *
 * <p>Arguments: {@code <migrations dir>[,<dir>...] <output dir> <package> <schema>...}
 */
public final class SchemaCodegen {

  private SchemaCodegen() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 4) {
      throw new IllegalArgumentException(
          "usage: SchemaCodegen <migrations dir>[,<dir>...] <output dir> <package> <schema>...");
    }
    // One directory, or several separated by commas (a module's test migrations after the
    // warehouse's own).
    List<String> locations = new java.util.ArrayList<>();
    for (String dir : args[0].split(",")) {
      Path migrations = Path.of(dir).toAbsolutePath();
      if (!Files.isDirectory(migrations)) {
        throw new IllegalArgumentException("migrations directory not found: " + migrations);
      }
      locations.add("filesystem:" + migrations);
    }
    String output = Path.of(args[1]).toAbsolutePath().toString();
    String packageName = args[2];
    List<String> schemas = List.of(args).subList(3, args.length);

    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
      String url = postgres.getJdbcUrl("postgres", "postgres");
      // Flyway's per-migration INFO lines are noise in every build; a failure still throws.
      Flyway.configure()
          .loggers("slf4j")
          .dataSource(url, "postgres", "postgres")
          .locations(locations.toArray(String[]::new))
          .load()
          .migrate();
      GenerationTool.generate(configuration(url, output, packageName, schemas));
    }
  }

  private static Configuration configuration(
      String url, String output, String packageName, List<String> schemas) {
    Database database =
        new Database()
            .withName("org.jooq.meta.postgres.PostgresDatabase")
            .withSchemata(
                schemas.stream().map(s -> new SchemaMappingType().withInputSchema(s)).toList())
            .withExcludes("flyway_schema_history");
    Generate generate =
        new Generate()
            .withRecords(true)
            .withPojos(true)
            .withPojosAsJavaRecordClasses(true)
            .withDaos(false)
            .withFluentSetters(false)
            .withJavaTimeTypes(true)
            .withGeneratedAnnotation(false)
            .withComments(true);
    return new Configuration()
        .withJdbc(new Jdbc().withDriver("org.postgresql.Driver").withUrl(url).withUser("postgres"))
        .withGenerator(
            new Generator()
                .withDatabase(database)
                .withGenerate(generate)
                .withTarget(new Target().withPackageName(packageName).withDirectory(output)));
  }
}

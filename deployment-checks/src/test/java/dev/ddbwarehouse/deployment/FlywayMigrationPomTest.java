package dev.ddbwarehouse.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** deploy.sh migrates through deploy/flyway/pom.xml: it must apply what the build tests. */
class FlywayMigrationPomTest {

  @Test
  void usesTheVersionsOfTheParentPom() throws Exception {
    Document parent = parse(Repository.file("pom.xml"));
    Document migrate = parse(Repository.file("deploy/flyway/pom.xml"));

    for (String property : new String[] {"flyway.version", "postgresql.version"}) {
      assertThat(text(migrate, property)).as(property).isEqualTo(text(parent, property));
    }
    assertThat(Files.readString(Repository.file("scripts/deploy.sh")))
        .contains(
            "org.flywaydb:flyway-maven-plugin:" + text(parent, "flyway.version") + ":migrate");
  }

  @Test
  void migratesTheWarehouseSchemaSqlFiles() throws Exception {
    String pom = Files.readString(Repository.file("deploy/flyway/pom.xml"));
    Path migrations = Repository.file("warehouse-schema/src/main/resources/db/migration");

    assertThat(pom)
        .contains(
            "filesystem:${project.basedir}/../../warehouse-schema/src/main/resources/db/migration")
        .contains("<artifactId>flyway-database-postgresql</artifactId>")
        .contains("<artifactId>postgresql</artifactId>");
    assertThat(migrations).isDirectory();
  }

  private static Document parse(Path pom) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
  }

  private static String text(Document pom, String property) {
    var nodes = pom.getElementsByTagName(property);
    assertThat(nodes.getLength()).as(property + " in a pom").isPositive();
    return nodes.item(0).getTextContent().trim();
  }
}

//! The contract: the OpenAPI document (generated from the handlers and types by utoipa), and
//! the interactive docs page, served from assets compiled into the binary (works offline).

use utoipa::OpenApi;
use utoipa::openapi::OpenApi as OpenApiDocument;
use utoipa_swagger_ui::SwaggerUi;

/// Where the OpenAPI document is served.
pub const OPENAPI_PATH: &str = "/openapi.json";
/// Where the interactive docs are served.
pub const DOCS_PATH: &str = "/docs";

/// The document's top level; the paths and schemas come from [`super::routes`].
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Filings API",
        description = "Turns company filings (EDGAR full-submission text, HTML exhibits, \
                       PDF-extracted text) into checked financial facts: companies, filings, \
                       statements, periods, line items, facts and the accounting identities \
                       tested on them. Errors are `application/problem+json` (RFC 9457).",
        license(name = "MIT", identifier = "MIT")
    ),
    tags(
        (name = "health", description = "Liveness and readiness probes."),
        (name = "companies", description = "Companies: search, identity, and the periods \
                                            they have data for."),
        (name = "statements", description = "Analytical reads: statements, comparisons, \
                                             non-GAAP reconciliations and series, as JSON or \
                                             CSV, with ETags."),
        (name = "filings", description = "Upload filings, list them, read one back, reparse or \
                                          delete it."),
        (name = "facts", description = "A filing's facts as JSON or CSV, and one fact with its \
                                        provenance."),
    )
)]
pub struct ApiDoc;

/// The OpenAPI document of the whole API.
pub fn openapi() -> OpenApiDocument {
    super::routes().into_openapi()
}

/// The OpenAPI document as YAML: what `filings openapi` prints and `openapi.yaml` holds.
pub fn openapi_yaml() -> anyhow::Result<String> {
    Ok(openapi().to_yaml()?)
}

/// The docs page at `/docs` (Swagger UI) and the document at `/openapi.json`.
pub fn swagger_ui(openapi: OpenApiDocument) -> SwaggerUi {
    SwaggerUi::new(DOCS_PATH).url(OPENAPI_PATH, openapi)
}

//! The contract: the OpenAPI document (generated from the handlers and types by utoipa), and
//! the interactive docs page, served from assets compiled into the binary (works offline).

use utoipa::OpenApi;
use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{OpenApi as OpenApiDocument, Ref, RefOr};

use super::problem::PROBLEM_JSON;
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
    with_common_responses(super::routes().into_openapi())
}

/// Adds to each operation under `/v1/` the problems any of them can answer with, whatever the
/// handler: a missing or wrong API key (when keys are configured), the request timeout, the
/// rate limit, a database that is down and a bug. Responses an operation documents itself are
/// kept as they are.
pub fn with_common_responses(mut openapi: OpenApiDocument) -> OpenApiDocument {
    let problem = |description: &str| {
        ResponseBuilder::new().description(description).content(
            PROBLEM_JSON,
            ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build(),
        )
    };
    let retry_after = HeaderBuilder::new()
        .schema(Some(ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(1))))
        .description(Some("Whole seconds until this client may send again."))
        .build();
    let common: [(&str, Response); 7] = [
        ("400", problem("A path or query parameter is malformed: an id that is not a positive whole number, a limit out of range, a cursor this API did not give, a NUL character.").build()),
        ("401", problem("API keys are configured and this request needs one (writes; reads too with FILINGS_READ_REQUIRES_KEY), but sent none.").build()),
        ("403", problem("The API key sent is not a configured one.").build()),
        ("408", problem("The request took longer than FILINGS_REQUEST_TIMEOUT_SECS.").build()),
        ("429", problem("This client (its API key, else its address) is over FILINGS_RATE_LIMIT_PER_SEC.").header("retry-after", retry_after).build()),
        ("500", problem("A bug: the detail is generic, the cause is in the server's log under the request id.").build()),
        ("503", problem("The database is unavailable; retry later.").build()),
    ];
    for (path, item) in openapi.paths.paths.iter_mut() {
        if !path.starts_with("/v1/") {
            continue;
        }
        let operations =
            [&mut item.get, &mut item.post, &mut item.put, &mut item.patch, &mut item.delete];
        for operation in operations.into_iter().flatten() {
            for (status, response) in &common {
                operation
                    .responses
                    .responses
                    .entry((*status).to_owned())
                    .or_insert_with(|| RefOr::T(response.clone()));
            }
        }
    }
    openapi
}

/// The OpenAPI document as YAML: what `filings openapi` prints and `openapi.yaml` holds.
pub fn openapi_yaml() -> anyhow::Result<String> {
    Ok(openapi().to_yaml()?)
}

/// The docs page at `/docs` (Swagger UI) and the document at `/openapi.json`.
pub fn swagger_ui(openapi: OpenApiDocument) -> SwaggerUi {
    SwaggerUi::new(DOCS_PATH).url(OPENAPI_PATH, openapi)
}

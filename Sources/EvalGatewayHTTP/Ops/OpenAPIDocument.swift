/// The OpenAPI 3.1 description of the routes, served at `GET /openapi.json`: the Agno eval-runs routes,
/// the AgentCore batch-evaluation routes (shapes of the botocore `bedrock-agentcore` model, with AWS's
/// error bodies), and `/health`, `/ready` and `/metrics`. A test checks that every registered route is
/// described here.
enum OpenAPIDocument {
    static let json = #"""
{
  "openapi": "3.1.0",
  "info": {
    "title": "EvalGateway",
    "version": "0.1.0",
    "description": "Agno AgentOS-compatible eval-runs API and the AgentCore (bedrock-agentcore) batch-evaluation API over registered databases, with liveness, readiness and metrics."
  },
  "security": [
    {
      "HTTPBearer": []
    },
    {
      "AWSSigV4": []
    }
  ],
  "paths": {
    "/health": {
      "get": {
        "operationId": "health",
        "summary": "Liveness",
        "security": [],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "properties": {
                    "status": {
                      "type": "string"
                    }
                  },
                  "required": [
                    "status"
                  ]
                }
              }
            }
          }
        }
      }
    },
    "/ready": {
      "get": {
        "operationId": "ready",
        "summary": "Readiness: every registered database answers a ping within 2 seconds",
        "description": "Without a token, or with one that lacks admin, only the overall status; an admin token (or an open gateway) also gets each database's state.",
        "security": [],
        "responses": {
          "200": {
            "description": "Every database answered",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Readiness"
                }
              }
            }
          },
          "503": {
            "description": "Some database did not answer (named in detail and databases, for an admin)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Readiness"
                }
              }
            }
          }
        }
      }
    },
    "/metrics": {
      "get": {
        "operationId": "metrics",
        "summary": "Prometheus metrics",
        "description": "Served when metrics are enabled in the configuration; needs a bearer token only when the configuration says so.",
        "security": [
          {},
          {
            "HTTPBearer": []
          }
        ],
        "responses": {
          "200": {
            "description": "Prometheus text exposition format 0.0.4",
            "content": {
              "text/plain": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "401": {
            "description": "Unauthorized (when a token is required)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorResponse"
                }
              }
            }
          }
        }
      }
    },
    "/openapi.json": {
      "get": {
        "operationId": "openapi",
        "summary": "This OpenAPI 3.1 document",
        "security": [],
        "responses": {
          "200": {
            "description": "The document",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          }
        }
      }
    },
    "/eval-runs": {
      "get": {
        "operationId": "get_eval_runs",
        "summary": "List evaluation runs",
        "tags": [
          "Evals"
        ],
        "parameters": [
          {
            "name": "db_id",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "Database id; required when several databases are registered and none is the default."
          },
          {
            "name": "table",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "One of the eval-runs tables registered for the database; requires db_id."
          },
          {
            "name": "agent_id",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "Only runs of this agent"
          },
          {
            "name": "team_id",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "Only runs of this team"
          },
          {
            "name": "workflow_id",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "Only runs of this workflow"
          },
          {
            "name": "model_id",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "Only runs of this model"
          },
          {
            "name": "type",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string",
              "enum": [
                "agent",
                "team",
                "workflow"
              ]
            },
            "description": "Only runs of this kind of component"
          },
          {
            "name": "eval_types",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "Comma-separated eval types"
          },
          {
            "name": "limit",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 1,
              "default": 20
            },
            "description": "Page size"
          },
          {
            "name": "page",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 1,
              "default": 1
            },
            "description": "Page number"
          },
          {
            "name": "sort_by",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string",
              "default": "created_at"
            },
            "description": "Column to sort by"
          },
          {
            "name": "sort_order",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string",
              "enum": [
                "asc",
                "desc"
              ],
              "default": "desc"
            },
            "description": "Sort direction"
          }
        ],
        "responses": {
          "200": {
            "description": "A page of runs",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/EvalRunPage"
                }
              }
            }
          },
          "400": {
            "description": "Bad Request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorResponse"
                }
              }
            }
          },
          "401": {
            "description": "Unauthorized",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorResponse"
                }
              }
            }
          },
          "403": {
            "description": "Forbidden",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorResponse"
                }
              }
            }
          },
          "404": {
            "description": "Not Found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorResponse"
                }
              }
            }
          },
          "413": {
            "description": "Payload Too Large",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorResponse"
                }
              }
            }
          },
          "422": {
            "description": "Validation Error",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorResponse"
                }
              }
            }
          },
          "500": {
            "description": "Internal Server Error",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorResponse"
                }
              }
            }
          },
          "503": {
            "description": "Backend Unavailable",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorResponse"
                }
              }
            }
          }
        }
      },
      "post": {
        "operationId": "create_eval_run",
        "summary": "Store an evaluation run record",
        "tags": [
          "Evals"
        ],
        "parameters": [
          {
            "name": "db_id",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "Database id; required when several databases are registered and none is the default."
          },
          {
            "name": "table",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "One of the eval-runs tables registered for the database; requires db_id."
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CreateEvalRunRequest"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "Created",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/EvalRun"
                }
              }
            }
          },
          "409": {
            "description": "Conflict",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorResponse"
                }
              }
            }
          },
          "400": {
            "description": "Bad Request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorResponse"
                }
              }
            }
          },
          "401": {
            "description": "Unauthorized",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorResponse"
                }
              }
            }
          },
          "403": {
            "description": "Forbidden",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorResponse"
                }
              }
            }
          },
          "404": {
            "description": "Not Found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorResponse"
                }
              }
            }
          },
          "413": {
            "description": "Payload Too Large",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorResponse"
                }
              }
            }
          },
          "422": {
            "description": "Validation Error",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorResponse"
                }
              }
            }
          },
          "500": {
            "description": "Internal Server Error",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorResponse"
                }
              }
            }
          },
          "503": {
            "description": "Backend Unavailable",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorResponse"
                }
              }
            }
          }
        }
      },
      "delete": {
        "operationId": "delete_eval_runs",
        "summary": "Delete Evaluation Runs",
        "tags": [
          "Evals"
        ],
        "parameters": [
          {
            "name": "db_id",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "Database id; required when several databases are registered and none is the default."
          },
          {
            "name": "table",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "One of the eval-runs tables registered for the database; requires db_id."
          },
          {
            "name": "Prefer",
            "in": "header",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "return=representation answers 200 with the count and the ids not found"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/DeleteEvalRunsRequest"
              }
            }
          }
        },
        "responses": {
          "204": {
            "description": "Deleted",
            "headers": {
              "X-Deleted-Count": {
                "schema": {
                  "type": "integer"
                },
                "description": "Rows removed"
              }
            }
          },
          "200": {
            "description": "Deleted (Prefer: return=representation)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/DeleteEvalRunsResult"
                }
              }
            }
          },
          "400": {
            "description": "Bad Request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorResponse"
                }
              }
            }
          },
          "401": {
            "description": "Unauthorized",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorResponse"
                }
              }
            }
          },
          "403": {
            "description": "Forbidden",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorResponse"
                }
              }
            }
          },
          "404": {
            "description": "Not Found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorResponse"
                }
              }
            }
          },
          "413": {
            "description": "Payload Too Large",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorResponse"
                }
              }
            }
          },
          "422": {
            "description": "Validation Error",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorResponse"
                }
              }
            }
          },
          "500": {
            "description": "Internal Server Error",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorResponse"
                }
              }
            }
          },
          "503": {
            "description": "Backend Unavailable",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorResponse"
                }
              }
            }
          }
        }
      }
    },
    "/eval-runs/{id}": {
      "get": {
        "operationId": "get_eval_run",
        "summary": "Get an evaluation run",
        "tags": [
          "Evals"
        ],
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "db_id",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "Database id; required when several databases are registered and none is the default."
          },
          {
            "name": "table",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "One of the eval-runs tables registered for the database; requires db_id."
          }
        ],
        "responses": {
          "200": {
            "description": "The run",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/EvalRun"
                }
              }
            }
          },
          "400": {
            "description": "Bad Request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorResponse"
                }
              }
            }
          },
          "401": {
            "description": "Unauthorized",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorResponse"
                }
              }
            }
          },
          "403": {
            "description": "Forbidden",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorResponse"
                }
              }
            }
          },
          "404": {
            "description": "Not Found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorResponse"
                }
              }
            }
          },
          "413": {
            "description": "Payload Too Large",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorResponse"
                }
              }
            }
          },
          "422": {
            "description": "Validation Error",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorResponse"
                }
              }
            }
          },
          "500": {
            "description": "Internal Server Error",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorResponse"
                }
              }
            }
          },
          "503": {
            "description": "Backend Unavailable",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorResponse"
                }
              }
            }
          }
        }
      },
      "patch": {
        "operationId": "update_eval_run",
        "summary": "Rename an evaluation run",
        "tags": [
          "Evals"
        ],
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "db_id",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "Database id; required when several databases are registered and none is the default."
          },
          {
            "name": "table",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "One of the eval-runs tables registered for the database; requires db_id."
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/UpdateEvalRunRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The renamed run",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/EvalRun"
                }
              }
            }
          },
          "400": {
            "description": "Bad Request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorResponse"
                }
              }
            }
          },
          "401": {
            "description": "Unauthorized",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorResponse"
                }
              }
            }
          },
          "403": {
            "description": "Forbidden",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorResponse"
                }
              }
            }
          },
          "404": {
            "description": "Not Found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorResponse"
                }
              }
            }
          },
          "413": {
            "description": "Payload Too Large",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorResponse"
                }
              }
            }
          },
          "422": {
            "description": "Validation Error",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorResponse"
                }
              }
            }
          },
          "500": {
            "description": "Internal Server Error",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorResponse"
                }
              }
            }
          },
          "503": {
            "description": "Backend Unavailable",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorResponse"
                }
              }
            }
          }
        }
      }
    },
    "/evaluations/batch-evaluate": {
      "post": {
        "operationId": "StartBatchEvaluation",
        "summary": "Start a batch evaluation",
        "description": "Creates a PENDING job over the sessions of evaluationMetadata.sessionMetadata and dataSourceConfig.cloudWatchLogs.filterConfig.sessionIds; a runner in the gateway scores them and writes one eval run per (session, evaluator) into the selected eval-runs table. A repeated clientToken with the same parameters returns the same job; with other parameters it is a ValidationException (reason IdempotentParameterMismatchException). Unknown members are ignored.",
        "tags": [
          "AgentCore batch evaluations"
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/DatabaseID"
          },
          {
            "$ref": "#/components/parameters/Table"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/StartBatchEvaluationRequest"
              }
            }
          }
        },
        "responses": {
          "202": {
            "description": "The job (new, or the one an earlier request with the same clientToken started)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/StartBatchEvaluationResponse"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/ValidationException"
          },
          "401": {
            "$ref": "#/components/responses/UnauthorizedException"
          },
          "403": {
            "$ref": "#/components/responses/AccessDeniedException"
          },
          "404": {
            "$ref": "#/components/responses/ResourceNotFoundException"
          },
          "409": {
            "$ref": "#/components/responses/ConflictException"
          },
          "500": {
            "$ref": "#/components/responses/InternalServerException"
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailableException"
          }
        }
      },
      "get": {
        "operationId": "ListBatchEvaluations",
        "summary": "List batch evaluations",
        "description": "Newest first (createdAt, then id, descending). nextToken is absent on the last page.",
        "tags": [
          "AgentCore batch evaluations"
        ],
        "parameters": [
          {
            "name": "maxResults",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 100
            },
            "description": "Page size (1-100)"
          },
          {
            "name": "nextToken",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "The nextToken of the previous page"
          },
          {
            "$ref": "#/components/parameters/DatabaseID"
          },
          {
            "$ref": "#/components/parameters/Table"
          }
        ],
        "responses": {
          "200": {
            "description": "A page of jobs",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ListBatchEvaluationsResponse"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/ValidationException"
          },
          "401": {
            "$ref": "#/components/responses/UnauthorizedException"
          },
          "403": {
            "$ref": "#/components/responses/AccessDeniedException"
          },
          "404": {
            "$ref": "#/components/responses/ResourceNotFoundException"
          },
          "500": {
            "$ref": "#/components/responses/InternalServerException"
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailableException"
          }
        }
      }
    },
    "/evaluations/batch-evaluate/{batchEvaluationId}": {
      "get": {
        "operationId": "GetBatchEvaluation",
        "summary": "Get a batch evaluation",
        "tags": [
          "AgentCore batch evaluations"
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/BatchEvaluationId"
          },
          {
            "$ref": "#/components/parameters/DatabaseID"
          },
          {
            "$ref": "#/components/parameters/Table"
          }
        ],
        "responses": {
          "200": {
            "description": "The job with its results so far",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/GetBatchEvaluationResponse"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/ValidationException"
          },
          "401": {
            "$ref": "#/components/responses/UnauthorizedException"
          },
          "403": {
            "$ref": "#/components/responses/AccessDeniedException"
          },
          "404": {
            "$ref": "#/components/responses/ResourceNotFoundException"
          },
          "500": {
            "$ref": "#/components/responses/InternalServerException"
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailableException"
          }
        }
      },
      "delete": {
        "operationId": "DeleteBatchEvaluation",
        "summary": "Delete a finished batch evaluation",
        "description": "Deletes the job record if, and only if, it is terminal (COMPLETED, COMPLETED_WITH_ERRORS, FAILED, STOPPED), checked and deleted in one step; a job that is still running is a ConflictException (stop it first). The eval runs it wrote stay.",
        "tags": [
          "AgentCore batch evaluations"
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/BatchEvaluationId"
          },
          {
            "$ref": "#/components/parameters/DatabaseID"
          },
          {
            "$ref": "#/components/parameters/Table"
          }
        ],
        "responses": {
          "202": {
            "description": "The deleted job and the terminal state it was deleted in",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/DeleteBatchEvaluationResponse"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/ValidationException"
          },
          "401": {
            "$ref": "#/components/responses/UnauthorizedException"
          },
          "403": {
            "$ref": "#/components/responses/AccessDeniedException"
          },
          "404": {
            "$ref": "#/components/responses/ResourceNotFoundException"
          },
          "409": {
            "$ref": "#/components/responses/ConflictException"
          },
          "500": {
            "$ref": "#/components/responses/InternalServerException"
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailableException"
          }
        }
      }
    },
    "/evaluations/batch-evaluate/{batchEvaluationId}/stop": {
      "post": {
        "operationId": "StopBatchEvaluation",
        "summary": "Stop a batch evaluation",
        "description": "Moves a PENDING or IN_PROGRESS job to STOPPING (a STOPPING job stays so); its runner ends it STOPPED. A terminal job is a ConflictException. The body is empty.",
        "tags": [
          "AgentCore batch evaluations"
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/BatchEvaluationId"
          },
          {
            "$ref": "#/components/parameters/DatabaseID"
          },
          {
            "$ref": "#/components/parameters/Table"
          }
        ],
        "responses": {
          "202": {
            "description": "The job, now STOPPING",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/StopBatchEvaluationResponse"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/ValidationException"
          },
          "401": {
            "$ref": "#/components/responses/UnauthorizedException"
          },
          "403": {
            "$ref": "#/components/responses/AccessDeniedException"
          },
          "404": {
            "$ref": "#/components/responses/ResourceNotFoundException"
          },
          "409": {
            "$ref": "#/components/responses/ConflictException"
          },
          "500": {
            "$ref": "#/components/responses/InternalServerException"
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailableException"
          }
        }
      }
    }
  },
  "components": {
    "securitySchemes": {
      "HTTPBearer": {
        "type": "http",
        "scheme": "bearer"
      },
      "AWSSigV4": {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": "AWS Signature Version 4 (Authorization: AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/bedrock-agentcore/aws4_request, SignedHeaders=…, Signature=…, with X-Amz-Date), verified against the access keys of auth.sigv4 when it is configured; what an unmodified signing boto3 client sends."
      }
    },
    "parameters": {
      "DatabaseID": {
        "name": "db_id",
        "in": "query",
        "required": false,
        "schema": {
          "type": "string"
        },
        "description": "Database id; required when several databases are registered and none is the default. Empty counts as absent."
      },
      "Table": {
        "name": "table",
        "in": "query",
        "required": false,
        "schema": {
          "type": "string"
        },
        "description": "One of the eval-runs tables registered for the database (where a job writes its eval runs); requires db_id (without it: ValidationException). Empty counts as absent."
      },
      "BatchEvaluationId": {
        "name": "batchEvaluationId",
        "in": "path",
        "required": true,
        "schema": {
          "type": "string",
          "pattern": "^[a-zA-Z][a-zA-Z0-9-_]{0,99}-[a-zA-Z0-9]{10}$"
        },
        "description": "The job id, percent-encoded"
      }
    },
    "responses": {
      "ValidationException": {
        "description": "ValidationException (400): the request is malformed (reason CannotParse), a field breaks a constraint (FieldValidationFailed, with fieldList), a clientToken is reused with other parameters (IdempotentParameterMismatchException), or db_id/table select nothing usable",
        "headers": {
          "x-amzn-ErrorType": {
            "description": "The exception name, as in __type",
            "schema": {
              "type": "string",
              "const": "ValidationException"
            }
          }
        },
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/ValidationException"
            }
          }
        }
      },
      "UnauthorizedException": {
        "description": "UnauthorizedException (401): no or an unknown bearer token",
        "headers": {
          "x-amzn-ErrorType": {
            "description": "The exception name, as in __type",
            "schema": {
              "type": "string",
              "const": "UnauthorizedException"
            }
          }
        },
        "content": {
          "application/json": {
            "schema": {
              "allOf": [
                {
                  "$ref": "#/components/schemas/AgentCoreError"
                },
                {
                  "properties": {
                    "__type": {
                      "const": "UnauthorizedException"
                    }
                  }
                }
              ]
            }
          }
        }
      },
      "AccessDeniedException": {
        "description": "AccessDeniedException (403): the token lacks the scope or the database",
        "headers": {
          "x-amzn-ErrorType": {
            "description": "The exception name, as in __type",
            "schema": {
              "type": "string",
              "const": "AccessDeniedException"
            }
          }
        },
        "content": {
          "application/json": {
            "schema": {
              "allOf": [
                {
                  "$ref": "#/components/schemas/AgentCoreError"
                },
                {
                  "properties": {
                    "__type": {
                      "const": "AccessDeniedException"
                    }
                  }
                }
              ]
            }
          }
        }
      },
      "ResourceNotFoundException": {
        "description": "ResourceNotFoundException (404): no such job (or database)",
        "headers": {
          "x-amzn-ErrorType": {
            "description": "The exception name, as in __type",
            "schema": {
              "type": "string",
              "const": "ResourceNotFoundException"
            }
          }
        },
        "content": {
          "application/json": {
            "schema": {
              "allOf": [
                {
                  "$ref": "#/components/schemas/AgentCoreError"
                },
                {
                  "properties": {
                    "__type": {
                      "const": "ResourceNotFoundException"
                    }
                  }
                }
              ]
            }
          }
        }
      },
      "ConflictException": {
        "description": "ConflictException (409): the job's state forbids the operation (delete of a running job, stop of a finished one) or the name is taken",
        "headers": {
          "x-amzn-ErrorType": {
            "description": "The exception name, as in __type",
            "schema": {
              "type": "string",
              "const": "ConflictException"
            }
          }
        },
        "content": {
          "application/json": {
            "schema": {
              "allOf": [
                {
                  "$ref": "#/components/schemas/AgentCoreError"
                },
                {
                  "properties": {
                    "__type": {
                      "const": "ConflictException"
                    }
                  }
                }
              ]
            }
          }
        }
      },
      "InternalServerException": {
        "description": "InternalServerException (500): an unexpected failure; the message carries a request id",
        "headers": {
          "x-amzn-ErrorType": {
            "description": "The exception name, as in __type",
            "schema": {
              "type": "string",
              "const": "InternalServerException"
            }
          }
        },
        "content": {
          "application/json": {
            "schema": {
              "allOf": [
                {
                  "$ref": "#/components/schemas/AgentCoreError"
                },
                {
                  "properties": {
                    "__type": {
                      "const": "InternalServerException"
                    }
                  }
                }
              ]
            }
          }
        }
      },
      "ServiceUnavailableException": {
        "description": "ServiceUnavailableException (503): the database is unavailable; retry later",
        "headers": {
          "x-amzn-ErrorType": {
            "description": "The exception name, as in __type",
            "schema": {
              "type": "string",
              "const": "ServiceUnavailableException"
            }
          },
          "Retry-After": {
            "description": "Seconds after which to retry",
            "schema": {
              "type": "integer"
            }
          }
        },
        "content": {
          "application/json": {
            "schema": {
              "allOf": [
                {
                  "$ref": "#/components/schemas/AgentCoreError"
                },
                {
                  "properties": {
                    "__type": {
                      "const": "ServiceUnavailableException"
                    }
                  }
                }
              ]
            }
          }
        }
      }
    },
    "schemas": {
      "EvalType": {
        "type": "string",
        "enum": [
          "accuracy",
          "agent_as_judge",
          "performance",
          "reliability"
        ]
      },
      "EvalRun": {
        "type": "object",
        "required": [
          "id",
          "eval_type",
          "eval_data",
          "created_at"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "agent_id": {
            "type": [
              "string",
              "null"
            ]
          },
          "model_id": {
            "type": [
              "string",
              "null"
            ]
          },
          "model_provider": {
            "type": [
              "string",
              "null"
            ]
          },
          "team_id": {
            "type": [
              "string",
              "null"
            ]
          },
          "workflow_id": {
            "type": [
              "string",
              "null"
            ]
          },
          "name": {
            "type": [
              "string",
              "null"
            ]
          },
          "evaluated_component_name": {
            "type": [
              "string",
              "null"
            ]
          },
          "user_id": {
            "type": [
              "string",
              "null"
            ]
          },
          "eval_type": {
            "type": "string"
          },
          "eval_data": {
            "type": "object"
          },
          "eval_input": {
            "type": [
              "object",
              "null"
            ]
          },
          "created_at": {
            "type": "string",
            "format": "date-time"
          },
          "updated_at": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          }
        }
      },
      "EvalRunPage": {
        "type": "object",
        "required": [
          "data",
          "meta"
        ],
        "properties": {
          "data": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/EvalRun"
            }
          },
          "meta": {
            "type": "object",
            "required": [
              "page",
              "limit",
              "total_pages",
              "total_count",
              "search_time_ms"
            ],
            "properties": {
              "page": {
                "type": "integer"
              },
              "limit": {
                "type": "integer"
              },
              "total_pages": {
                "type": "integer"
              },
              "total_count": {
                "type": "integer"
              },
              "search_time_ms": {
                "type": "number"
              }
            }
          }
        }
      },
      "CreateEvalRunRequest": {
        "type": "object",
        "required": [
          "eval_type",
          "eval_data"
        ],
        "properties": {
          "id": {
            "type": "string",
            "minLength": 1,
            "maxLength": 255
          },
          "eval_type": {
            "$ref": "#/components/schemas/EvalType"
          },
          "eval_data": {
            "type": "object"
          },
          "eval_input": {
            "type": "object"
          },
          "name": {
            "type": "string",
            "minLength": 1,
            "maxLength": 255
          },
          "agent_id": {
            "type": "string"
          },
          "model_id": {
            "type": "string"
          },
          "model_provider": {
            "type": "string"
          },
          "team_id": {
            "type": "string"
          },
          "workflow_id": {
            "type": "string"
          },
          "evaluated_component_name": {
            "type": "string"
          },
          "user_id": {
            "type": "string"
          }
        }
      },
      "UpdateEvalRunRequest": {
        "type": "object",
        "required": [
          "name"
        ],
        "properties": {
          "name": {
            "type": "string",
            "minLength": 1,
            "maxLength": 255
          }
        }
      },
      "DeleteEvalRunsRequest": {
        "type": "object",
        "required": [
          "eval_run_ids"
        ],
        "properties": {
          "eval_run_ids": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "minItems": 1
          }
        }
      },
      "DeleteEvalRunsResult": {
        "type": "object",
        "required": [
          "deleted",
          "not_found"
        ],
        "properties": {
          "deleted": {
            "type": "integer"
          },
          "not_found": {
            "type": "array",
            "items": {
              "type": "string"
            }
          }
        }
      },
      "ErrorResponse": {
        "type": "object",
        "required": [
          "detail",
          "error_code"
        ],
        "properties": {
          "detail": {
            "type": "string"
          },
          "error_code": {
            "type": "string"
          },
          "request_id": {
            "type": "string"
          },
          "errors": {
            "type": "array",
            "items": {
              "type": "object",
              "properties": {
                "loc": {
                  "type": "array",
                  "items": {
                    "type": [
                      "string",
                      "integer"
                    ]
                  }
                },
                "msg": {
                  "type": "string"
                },
                "type": {
                  "type": "string"
                }
              }
            }
          }
        }
      },
      "BatchEvaluationStatus": {
        "type": "string",
        "enum": [
          "PENDING",
          "IN_PROGRESS",
          "COMPLETED",
          "COMPLETED_WITH_ERRORS",
          "FAILED",
          "STOPPING",
          "STOPPED",
          "DELETING"
        ]
      },
      "Evaluator": {
        "type": "object",
        "required": [
          "evaluatorId"
        ],
        "properties": {
          "evaluatorId": {
            "type": "string",
            "pattern": "^(Builtin.[a-zA-Z0-9_-]+|[a-zA-Z][a-zA-Z0-9-_]{0,99}-[a-zA-Z0-9]{10})$"
          }
        }
      },
      "DataSourceConfig": {
        "type": "object",
        "description": "A union: exactly one member",
        "required": [
          "cloudWatchLogs"
        ],
        "properties": {
          "cloudWatchLogs": {
            "$ref": "#/components/schemas/CloudWatchLogsSource"
          }
        }
      },
      "CloudWatchLogsSource": {
        "type": "object",
        "required": [
          "serviceNames",
          "logGroupNames"
        ],
        "properties": {
          "serviceNames": {
            "type": "array",
            "minItems": 1,
            "maxItems": 1,
            "items": {
              "type": "string"
            }
          },
          "logGroupNames": {
            "type": "array",
            "minItems": 1,
            "maxItems": 5,
            "items": {
              "type": "string"
            }
          },
          "filterConfig": {
            "type": "object",
            "properties": {
              "sessionIds": {
                "type": "array",
                "maxItems": 500,
                "items": {
                  "type": "string",
                  "minLength": 1
                }
              },
              "timeRange": {
                "type": "object",
                "properties": {
                  "startTime": {
                    "oneOf": [
                      {
                        "type": "number",
                        "description": "epoch seconds"
                      },
                      {
                        "type": "string",
                        "format": "date-time"
                      }
                    ]
                  },
                  "endTime": {
                    "oneOf": [
                      {
                        "type": "number",
                        "description": "epoch seconds"
                      },
                      {
                        "type": "string",
                        "format": "date-time"
                      }
                    ]
                  }
                }
              }
            }
          }
        }
      },
      "EvaluationMetadata": {
        "type": "object",
        "description": "A union: sessionMetadata",
        "properties": {
          "sessionMetadata": {
            "type": "array",
            "maxItems": 500,
            "items": {
              "$ref": "#/components/schemas/SessionMetadata"
            }
          }
        }
      },
      "SessionMetadata": {
        "type": "object",
        "required": [
          "sessionId"
        ],
        "properties": {
          "sessionId": {
            "type": "string",
            "minLength": 1
          },
          "testScenarioId": {
            "type": "string"
          },
          "groundTruth": {
            "$ref": "#/components/schemas/GroundTruthSource"
          },
          "metadata": {
            "type": "object",
            "additionalProperties": {
              "type": "string"
            }
          }
        }
      },
      "GroundTruthSource": {
        "type": "object",
        "description": "A union: exactly one member (inline)",
        "required": [
          "inline"
        ],
        "properties": {
          "inline": {
            "type": "object",
            "properties": {
              "assertions": {
                "type": "array",
                "minItems": 1,
                "maxItems": 100,
                "items": {
                  "$ref": "#/components/schemas/EvaluationContent"
                }
              },
              "expectedTrajectory": {
                "type": "object",
                "properties": {
                  "toolNames": {
                    "type": "array",
                    "maxItems": 1000,
                    "items": {
                      "type": "string",
                      "minLength": 1,
                      "maxLength": 500
                    }
                  }
                }
              },
              "turns": {
                "type": "array",
                "minItems": 1,
                "items": {
                  "type": "object",
                  "properties": {
                    "input": {
                      "type": "object",
                      "properties": {
                        "prompt": {
                          "type": "string",
                          "maxLength": 4000
                        }
                      }
                    },
                    "expectedResponse": {
                      "$ref": "#/components/schemas/EvaluationContent"
                    }
                  }
                }
              }
            }
          }
        }
      },
      "EvaluationContent": {
        "type": "object",
        "description": "EvaluationContent (a union: exactly one member)",
        "properties": {
          "text": {
            "type": "string",
            "minLength": 1,
            "maxLength": 100000
          }
        },
        "required": [
          "text"
        ]
      },
      "StartBatchEvaluationRequest": {
        "type": "object",
        "required": [
          "batchEvaluationName",
          "dataSourceConfig"
        ],
        "properties": {
          "batchEvaluationName": {
            "type": "string",
            "pattern": "^[a-zA-Z][a-zA-Z0-9_]{0,47}$"
          },
          "evaluators": {
            "type": "array",
            "maxItems": 10,
            "items": {
              "$ref": "#/components/schemas/Evaluator"
            }
          },
          "dataSourceConfig": {
            "$ref": "#/components/schemas/DataSourceConfig"
          },
          "clientToken": {
            "type": "string",
            "minLength": 33,
            "maxLength": 256,
            "pattern": "^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,256}$"
          },
          "evaluationMetadata": {
            "$ref": "#/components/schemas/EvaluationMetadata"
          },
          "description": {
            "type": "string",
            "maxLength": 200
          }
        }
      },
      "StartBatchEvaluationResponse": {
        "type": "object",
        "required": [
          "batchEvaluationId",
          "batchEvaluationArn",
          "batchEvaluationName",
          "status",
          "createdAt"
        ],
        "properties": {
          "batchEvaluationId": {
            "type": "string",
            "pattern": "^[a-zA-Z][a-zA-Z0-9-_]{0,99}-[a-zA-Z0-9]{10}$"
          },
          "batchEvaluationArn": {
            "type": "string",
            "description": "arn:aws:bedrock-agentcore:<region>:<account>:batch-evaluate/<id>"
          },
          "batchEvaluationName": {
            "type": "string",
            "pattern": "^[a-zA-Z][a-zA-Z0-9_]{0,47}$"
          },
          "evaluators": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Evaluator"
            }
          },
          "status": {
            "$ref": "#/components/schemas/BatchEvaluationStatus"
          },
          "createdAt": {
            "type": "string",
            "format": "date-time",
            "description": "ISO-8601 with milliseconds, e.g. 2026-11-22T12:20:00.123Z"
          },
          "description": {
            "type": "string",
            "maxLength": 200
          }
        }
      },
      "EvaluationJobResults": {
        "type": "object",
        "properties": {
          "numberOfSessionsCompleted": {
            "type": "integer"
          },
          "numberOfSessionsInProgress": {
            "type": "integer"
          },
          "numberOfSessionsFailed": {
            "type": "integer"
          },
          "totalNumberOfSessions": {
            "type": "integer"
          },
          "numberOfSessionsIgnored": {
            "type": "integer"
          },
          "evaluatorSummaries": {
            "type": "array",
            "items": {
              "type": "object",
              "properties": {
                "evaluatorId": {
                  "type": "string"
                },
                "statistics": {
                  "type": "object",
                  "properties": {
                    "averageScore": {
                      "type": "number",
                      "description": "Absent when the evaluator scored nothing"
                    }
                  }
                },
                "totalEvaluated": {
                  "type": "integer"
                },
                "totalFailed": {
                  "type": "integer"
                }
              }
            }
          }
        }
      },
      "GetBatchEvaluationResponse": {
        "type": "object",
        "required": [
          "batchEvaluationId",
          "batchEvaluationArn",
          "batchEvaluationName",
          "status",
          "createdAt"
        ],
        "properties": {
          "batchEvaluationId": {
            "type": "string",
            "pattern": "^[a-zA-Z][a-zA-Z0-9-_]{0,99}-[a-zA-Z0-9]{10}$"
          },
          "batchEvaluationArn": {
            "type": "string",
            "description": "arn:aws:bedrock-agentcore:<region>:<account>:batch-evaluate/<id>"
          },
          "batchEvaluationName": {
            "type": "string",
            "pattern": "^[a-zA-Z][a-zA-Z0-9_]{0,47}$"
          },
          "status": {
            "$ref": "#/components/schemas/BatchEvaluationStatus"
          },
          "createdAt": {
            "type": "string",
            "format": "date-time",
            "description": "ISO-8601 with milliseconds, e.g. 2026-11-22T12:20:00.123Z"
          },
          "evaluators": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Evaluator"
            }
          },
          "dataSourceConfig": {
            "$ref": "#/components/schemas/DataSourceConfig"
          },
          "evaluationResults": {
            "$ref": "#/components/schemas/EvaluationJobResults"
          },
          "errorDetails": {
            "type": "array",
            "maxItems": 1,
            "items": {
              "type": "string",
              "maxLength": 1000
            }
          },
          "description": {
            "type": "string",
            "maxLength": 200
          },
          "updatedAt": {
            "type": "string",
            "format": "date-time",
            "description": "ISO-8601 with milliseconds, e.g. 2026-11-22T12:20:00.123Z"
          }
        }
      },
      "BatchEvaluationSummary": {
        "type": "object",
        "required": [
          "batchEvaluationId",
          "batchEvaluationArn",
          "batchEvaluationName",
          "status",
          "createdAt"
        ],
        "properties": {
          "batchEvaluationId": {
            "type": "string",
            "pattern": "^[a-zA-Z][a-zA-Z0-9-_]{0,99}-[a-zA-Z0-9]{10}$"
          },
          "batchEvaluationArn": {
            "type": "string",
            "description": "arn:aws:bedrock-agentcore:<region>:<account>:batch-evaluate/<id>"
          },
          "batchEvaluationName": {
            "type": "string",
            "pattern": "^[a-zA-Z][a-zA-Z0-9_]{0,47}$"
          },
          "status": {
            "$ref": "#/components/schemas/BatchEvaluationStatus"
          },
          "createdAt": {
            "type": "string",
            "format": "date-time",
            "description": "ISO-8601 with milliseconds, e.g. 2026-11-22T12:20:00.123Z"
          },
          "description": {
            "type": "string",
            "maxLength": 200
          },
          "evaluators": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Evaluator"
            }
          },
          "evaluationResults": {
            "$ref": "#/components/schemas/EvaluationJobResults"
          },
          "errorDetails": {
            "type": "array",
            "maxItems": 1,
            "items": {
              "type": "string",
              "maxLength": 1000
            }
          },
          "updatedAt": {
            "type": "string",
            "format": "date-time",
            "description": "ISO-8601 with milliseconds, e.g. 2026-11-22T12:20:00.123Z"
          }
        }
      },
      "ListBatchEvaluationsResponse": {
        "type": "object",
        "required": [
          "batchEvaluations"
        ],
        "properties": {
          "batchEvaluations": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/BatchEvaluationSummary"
            }
          },
          "nextToken": {
            "type": "string",
            "description": "Absent on the last page"
          }
        }
      },
      "StopBatchEvaluationResponse": {
        "type": "object",
        "required": [
          "batchEvaluationId",
          "batchEvaluationArn",
          "status"
        ],
        "properties": {
          "batchEvaluationId": {
            "type": "string",
            "pattern": "^[a-zA-Z][a-zA-Z0-9-_]{0,99}-[a-zA-Z0-9]{10}$"
          },
          "batchEvaluationArn": {
            "type": "string",
            "description": "arn:aws:bedrock-agentcore:<region>:<account>:batch-evaluate/<id>"
          },
          "status": {
            "$ref": "#/components/schemas/BatchEvaluationStatus"
          },
          "description": {
            "type": "string",
            "maxLength": 200
          }
        }
      },
      "DeleteBatchEvaluationResponse": {
        "type": "object",
        "required": [
          "batchEvaluationId",
          "batchEvaluationArn",
          "status"
        ],
        "properties": {
          "batchEvaluationId": {
            "type": "string",
            "pattern": "^[a-zA-Z][a-zA-Z0-9-_]{0,99}-[a-zA-Z0-9]{10}$"
          },
          "batchEvaluationArn": {
            "type": "string",
            "description": "arn:aws:bedrock-agentcore:<region>:<account>:batch-evaluate/<id>"
          },
          "status": {
            "$ref": "#/components/schemas/BatchEvaluationStatus"
          }
        }
      },
      "AgentCoreError": {
        "type": "object",
        "description": "An AWS rest-json error body; the x-amzn-ErrorType header repeats __type",
        "required": [
          "__type",
          "message"
        ],
        "properties": {
          "__type": {
            "type": "string",
            "description": "The exception name"
          },
          "message": {
            "type": "string"
          }
        }
      },
      "ValidationException": {
        "type": "object",
        "required": [
          "__type",
          "message",
          "reason"
        ],
        "properties": {
          "__type": {
            "type": "string",
            "const": "ValidationException"
          },
          "message": {
            "type": "string"
          },
          "reason": {
            "type": "string",
            "enum": [
              "CannotParse",
              "FieldValidationFailed",
              "IdempotentParameterMismatchException",
              "EventInOtherSession",
              "ResourceConflict"
            ]
          },
          "fieldList": {
            "type": "array",
            "items": {
              "type": "object",
              "required": [
                "name",
                "message"
              ],
              "properties": {
                "name": {
                  "type": "string"
                },
                "message": {
                  "type": "string"
                }
              }
            }
          }
        }
      },
      "Readiness": {
        "type": "object",
        "required": [
          "status"
        ],
        "properties": {
          "status": {
            "type": "string",
            "enum": [
              "ready",
              "not_ready"
            ]
          },
          "databases": {
            "type": "object",
            "description": "Each database id and whether it answered (admin only)",
            "additionalProperties": {
              "type": "string",
              "enum": [
                "ok",
                "unavailable"
              ]
            }
          },
          "detail": {
            "type": "string",
            "description": "When not ready: the databases that did not answer (admin only)"
          },
          "error_code": {
            "type": "string",
            "const": "BACKEND_UNAVAILABLE"
          }
        }
      }
    }
  }
}
"""#
}

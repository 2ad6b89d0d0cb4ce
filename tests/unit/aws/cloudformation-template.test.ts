import { CloudFormationClient, GetTemplateSummaryCommand } from "@aws-sdk/client-cloudformation";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { cloudFormationApi } from "../../../functions/shared/aws/cloudformation.js";
import { awsError } from "./helpers.js";

const cfn = mockClient(CloudFormationClient);
const api = cloudFormationApi(new CloudFormationClient({ region: "us-west-2" }));

beforeEach(() => cfn.reset());

describe("cloudFormationApi.getTemplateSummary", () => {
  it("reads the template's declared parameters (with or without Default), capabilities and resource types", async () => {
    cfn.on(GetTemplateSummaryCommand, { TemplateURL: "https://bucket.s3.amazonaws.com/t.yaml" }).resolves({
      Parameters: [
        { ParameterKey: "VpcId", ParameterType: "AWS::EC2::VPC::Id", NoEcho: false },
        { ParameterKey: "Secret", ParameterType: "String", DefaultValue: "", NoEcho: true },
      ],
      Capabilities: ["CAPABILITY_IAM"],
      ResourceTypes: ["AWS::IAM::Role"],
    });
    await expect(api.getTemplateSummary("https://bucket.s3.amazonaws.com/t.yaml")).resolves.toEqual({
      parameters: [
        { key: "VpcId", hasDefault: false, noEcho: false },
        { key: "Secret", hasDefault: true, noEcho: true },
      ],
      capabilities: ["CAPABILITY_IAM"],
      resourceTypes: ["AWS::IAM::Role"],
    });
  });

  it("passes CloudFormation's refusal of an unreadable template on as AwsCallFailed", async () => {
    cfn
      .on(GetTemplateSummaryCommand)
      .rejects(
        awsError("ValidationError", "TemplateURL must reference a valid S3 object to which you have access."),
      );
    await expect(api.getTemplateSummary("https://bucket.s3.amazonaws.com/t.yaml")).rejects.toMatchObject({
      name: "AwsCallFailed",
      message: expect.stringMatching(/GetTemplateSummary.*valid S3 object/),
    });
  });
});
